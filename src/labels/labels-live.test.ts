// A conversation's labels change live: the agents viewing it get its chips and menu (the bytes
// the agent who changed them got back), and the list pages showing its row get the row, with the
// word that the list is stale (a label filter may now show it, or not). With TEST_REDIS_URL the
// pushes go through Redis.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { labels } from "../db/schema/index.ts";
import { topics } from "../realtime/topics.ts";
import { busBarrier } from "../testing/bus-barrier.ts";
import { REDIS_URL } from "../testing/bus-instances.ts";
import { customerWrites, signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

describe(`labels, live (${storageMode}${REDIS_URL ? ", Redis" : ""})`, () => {
  let t: TestApp, ana: TeamMember, ben: TeamMember, inbox: InboxRow, url: string;
  let vip: string, conversation: string, elsewhere: string;
  const sockets: TestSocket[] = [];
  const barrier = (socket: TestSocket, topic: string) => busBarrier(t.ctx.bus, socket, topic);
  const toggle = (label: string, on: boolean) => t.post(`/inbox/c/${conversation}/labels`, on ? { label, on: "true" } : { label }, { cookie: ana.cookie, "hx-request": "true" });

  /** An inbox page showing the "All open" tab, with `viewing` open in its pane. */
  async function inboxPage(member: TeamMember, viewing: string): Promise<TestSocket> {
    const socket = await openSocket(url, { cookie: member.cookie, origin: TEST_ORIGIN });
    sockets.push(socket);
    await socket.waitFor((f) => f.includes('id="live-status"'));
    socket.send({ type: "follow", page: "inbox", tab: "open" });
    await barrier(socket, topics.inboxTab("open"));
    socket.send({ type: "view", conversation: viewing, after: 0 });
    await barrier(socket, topics.conversationAgents(viewing));
    return socket;
  }
  const rowPush = (socket: TestSocket, from: number) =>
    socket.waitFor((f) => f.startsWith("{") && f.includes(`conv-row-${conversation}`), 5000, from).then((f) => JSON.parse(f) as { content: string; stale: string });

  beforeAll(async () => {
    t = await createTestApp({ env: REDIS_URL ? { REDIS_URL, SESSION_SECRET: "labels-live-secret-0123456789abcdef" } : {} });
    ({ ana, ben, inbox } = await signedInTeam(t, { handoffMode: "immediate" }));
    url = `${t.listen().replace("http", "ws")}/ws/inbox`;
    const [label] = await t.database.db.insert(labels).values({ name: "VIP <3", color: "#fde047" }).returning();
    vip = label!.id;
    conversation = await customerWrites(t, inbox, "please help");
    elsewhere = await customerWrites(t, inbox, "another one");
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  test("a label Ana puts on reaches Ben viewing the conversation, and its row reaches the list; not the pane of another conversation", async () => {
    const bens = await inboxPage(ben, conversation);
    const other = await inboxPage(ana, elsewhere);
    const [from, otherFrom] = [bens.frames.length, other.frames.length];
    const answer = await (await toggle(vip, true)).text();
    expect(answer).toContain("VIP &lt;3");

    // The pane's chips and menu: the same bytes as Ana's answer, rendered once.
    expect(await bens.waitFor((f) => f.includes(`id="conv-labels-${conversation}"`), 5000, from)).toBe(answer);
    const row = await rowPush(bens, from);
    expect(row.stale).toBe("inbox");
    expect(row.content).toContain(`id="conv-row-${conversation}"`);
    expect(row.content).toContain('hx-swap-oob="true"');
    expect(row.content).toContain("VIP &lt;3");

    await barrier(other, topics.conversationAgents(elsewhere));
    expect(other.frames.slice(otherFrom).filter((f) => f.includes(`conv-labels-${conversation}`))).toEqual([]);
    // The other page shows the "All open" list too: it hears the row.
    expect((await rowPush(other, otherFrom)).content).toContain("VIP &lt;3");
  });

  test("a change that changes nothing is pushed to no one", async () => {
    const bens = await inboxPage(ben, conversation);
    const from = bens.frames.length;
    expect((await toggle(vip, true)).status).toBe(200);
    await barrier(bens, topics.conversationAgents(conversation));
    await barrier(bens, topics.inboxTab("open"));
    expect(bens.frames.slice(from).filter((f) => f.includes(conversation))).toEqual([]);
  });

  test("taking it off reaches them too; so do a rename and a deletion, on the rows of the conversations carrying it", async () => {
    const bens = await inboxPage(ben, conversation);
    let from = bens.frames.length;
    await toggle(vip, false);
    expect(await bens.waitFor((f) => f.includes(`id="conv-labels-${conversation}"`), 5000, from)).toContain('<li class="label-none">No labels</li>');
    expect((await rowPush(bens, from)).content).not.toContain("row-labels");

    await toggle(vip, true);
    await rowPush(bens, from);
    from = bens.frames.length;
    expect((await t.post(`/settings/labels/${vip}`, { name: "Gold", color: "#1e3a8a" }, { cookie: ana.cookie })).status).toBe(303);
    const renamed = (await rowPush(bens, from)).content;
    expect(renamed).toContain(">Gold<");
    expect(renamed).toContain('fill="#1e3a8a"');
    // The pane of a conversation carrying it: its chips and menu, renamed.
    const chips = await bens.waitFor((f) => f.includes(`id="conv-labels-${conversation}"`) && f.includes(">Gold<"), 5000, from);
    expect(chips).not.toContain("VIP");

    from = bens.frames.length;
    expect((await t.post(`/settings/labels/${vip}/delete`, {}, { cookie: ana.cookie })).status).toBe(303);
    expect((await rowPush(bens, from)).content).not.toContain("row-labels");
    await bens.waitFor((f) => f.includes(`id="conv-labels-${conversation}"`) && f.includes('<li class="label-none">No labels</li>'), 5000, from);
  });

  test("a menu that opens shows the labels as they are now, those made or renamed since its pane was drawn", async () => {
    const pane = await (await t.request(`/inbox/c/${elsewhere}`, { headers: { cookie: ben.cookie } })).text();
    expect(pane).toContain(`hx-get="/inbox/c/${elsewhere}/labels"`);
    expect((await t.post("/settings/labels", { name: "Refund", color: "#fecaca" }, { cookie: ana.cookie })).status).toBe(303);
    const menu = await (await t.request(`/inbox/c/${elsewhere}/labels`, { headers: { cookie: ben.cookie } })).text();
    expect(menu).toContain(`id="conv-label-choices-${elsewhere}"`);
    expect(menu).toContain(">Refund<");
    expect((await t.request(`/inbox/c/${crypto.randomUUID()}/labels`, { headers: { cookie: ben.cookie } })).status).toBe(404);
    expect((await t.request(`/inbox/c/${elsewhere}/labels`)).status).not.toBe(200);
  });
});
