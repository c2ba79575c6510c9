// The collision guard (issue 17 item 4): two agents with one conversation open see each other in
// its header ("Ben is viewing", "Ben is typing…"), live; a socket that switches conversation or
// closes leaves. With TEST_REDIS_URL the viewers and the pushes go through Redis.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { REDIS_URL } from "../testing/bus-instances.ts";
import { customerWrites, signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

describe(`collision guard (${storageMode}${REDIS_URL ? ", Redis" : ""})`, () => {
  let t: TestApp, ana: TeamMember, ben: TeamMember, inbox: InboxRow, url: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: REDIS_URL ? { REDIS_URL, SESSION_SECRET: "collision-secret-0123456789abcdef" } : {} });
    ({ ana, ben, inbox } = await signedInTeam(t, { handoffMode: "immediate" }));
    url = `${t.listen().replace("http", "ws")}/ws/inbox`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  async function agentSocket(member: TeamMember): Promise<TestSocket> {
    const socket = await openSocket(url, { cookie: member.cookie, origin: TEST_ORIGIN });
    sockets.push(socket);
    await socket.waitFor((f) => f.includes('id="live-status"'));
    return socket;
  }
  /** The header's viewers as the last push to `socket` after frame `from` says them, once it says `text`. */
  const viewersSay = (socket: TestSocket, id: string, text: string, from = 0) => socket.waitFor((f) => f.includes(`id="conv-viewers-${id}"`) && f.includes(text), 5000, from);
  const viewerEntries = (frame: string) => [...frame.matchAll(/data-agent-id="([^"]+)"[^>]*>([^<]+)</g)].map((m) => ({ agent: m[1], text: m[2] }));

  test("Ana and Ben on one conversation see each other viewing, then Ben typing, then not", async () => {
    const id = await customerWrites(t, inbox, "help please");
    const anas = await agentSocket(ana);
    anas.send({ type: "view", conversation: id, after: 0 });
    await viewersSay(anas, id, "Ana");
    const bens = await agentSocket(ben);
    const from = anas.frames.length;
    bens.send({ type: "view", conversation: id, after: 0 });
    // Both hear both (each page hides its own entry).
    const seenByAna = await viewersSay(anas, id, "Ben is viewing", from);
    expect(viewerEntries(seenByAna)).toEqual([
      { agent: ana.id, text: "Ana is viewing" },
      { agent: ben.id, text: "Ben is viewing" },
    ]);
    await viewersSay(bens, id, "Ben is viewing");

    const typingFrom = anas.frames.length;
    bens.send({ type: "typing", conversation: id, on: true });
    expect(await viewersSay(anas, id, "Ben is typing…", typingFrom)).toContain('data-typing="true"');
    // A repeated "typing on" changes nothing and pushes nothing; "off" does.
    bens.send({ type: "typing", conversation: id, on: true });
    bens.send({ type: "typing", conversation: id, on: false });
    const off = await viewersSay(anas, id, "Ben is viewing", typingFrom + 1);
    expect(off).not.toContain("typing");
    expect(anas.frames.slice(typingFrom).filter((f) => f.includes(`conv-viewers-${id}`))).toHaveLength(2);
  });

  test("a socket that switches to another conversation, or closes, leaves the header", async () => {
    const id = await customerWrites(t, inbox, "first");
    const other = await customerWrites(t, inbox, "second");
    const anas = await agentSocket(ana);
    anas.send({ type: "view", conversation: id, after: 0 });
    const bens = await agentSocket(ben);
    bens.send({ type: "view", conversation: id, after: 0 });
    await viewersSay(anas, id, "Ben is viewing");

    let from = anas.frames.length;
    bens.send({ type: "view", conversation: other, after: 0 });
    // Ana's header, once it has no Ben (a push of an earlier state may still be on its way before it).
    const left = await anas.waitFor((f) => f.includes(`id="conv-viewers-${id}"`) && !f.includes("Ben"), 5000, from);
    expect(left).toContain("Ana is viewing");
    await viewersSay(bens, other, "Ben is viewing");

    // Back, then the tab closes. Counted from here: the frames before (Ben viewing, earlier) must not answer for his return.
    from = anas.frames.length;
    bens.send({ type: "view", conversation: id, after: 0 });
    await viewersSay(anas, id, "Ben is viewing", from);
    from = anas.frames.length;
    bens.close();
    const closed = await anas.waitFor((f) => f.includes(`id="conv-viewers-${id}"`) && !f.includes("Ben"), 5000, from);
    expect(closed).toContain("Ana is viewing");
  });
});

