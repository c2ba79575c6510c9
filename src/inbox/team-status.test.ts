// The inbox's header shows the team's state as customers see it (issue 18, item 2): how many agents
// are online by the widget's rule (set to Online and connected), or that nobody is and customers see
// the team as away, live as agents come, go and switch to Away. The socket's own state has no words
// while it is fine. With TEST_REDIS_URL the announcements go through Redis.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { REDIS_URL } from "../testing/bus-instances.ts";
import { signedInTeam, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

const teamStatus = /<span id="team-status"[^>]*data-online="(\d+)"[^>]*>([^<]*)<\/span>/;

describe(`the team's state in the inbox header (${storageMode}${REDIS_URL ? ", Redis" : ""})`, () => {
  let t: TestApp, ana: TeamMember, ben: TeamMember, url: string;
  const sockets: TestSocket[] = [];
  const choose = (who: TeamMember, availability: "online" | "away") =>
    t.post("/settings/profile/availability", { availability }, { cookie: who.cookie, "hx-request": "true" });

  /** An inbox page's socket: subscribed ("live"), following the inbox list. */
  async function inboxPage(member: TeamMember): Promise<TestSocket> {
    const socket = await openSocket(url, { cookie: member.cookie, origin: TEST_ORIGIN });
    sockets.push(socket);
    await socket.waitFor((f) => f.includes('id="live-status"') && f.includes('data-state="live"'));
    socket.send({ type: "follow", page: "inbox", tab: "open" });
    return socket;
  }
  const stateAfter = async (socket: TestSocket, from: number, online: number) =>
    teamStatus.exec(await socket.waitFor((f) => teamStatus.exec(f)?.[1] === String(online), 5000, from))![2];

  beforeAll(async () => {
    t = await createTestApp({ env: REDIS_URL ? { REDIS_URL, SESSION_SECRET: "team-status-secret-0123456789abcdef" } : {} });
    ({ ana, ben } = await signedInTeam(t));
    url = `${t.listen().replace("http", "ws")}/ws/inbox`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  test("the page has an empty team state and a socket state without words (no green 'Live')", async () => {
    const page = await (await t.request("/inbox", { headers: { cookie: ana.cookie } })).text();
    expect(page).toMatch(/<span id="team-status" class="team-status" role="status"><\/span>/);
    expect(page).toMatch(/<span id="live-status" class="live-status" data-state="connecting" role="status"><\/span>/);
    expect(page).not.toContain(">Live<");
  });

  test("following the inbox brings the team's state; Away makes it 'Nobody online', for every inbox page at once; a teammate coming online counts", async () => {
    const anas = await inboxPage(ana);
    expect(await stateAfter(anas, 0, 1)).toBe("1 online");
    const from = anas.frames.length;
    expect((await choose(ana, "away")).status).toBe(200);
    expect(await stateAfter(anas, from, 0)).toBe("Nobody online — customers see you as away");

    const bens = await inboxPage(ben);
    // Ben's own page at once; Ana's once the announcement comes (it rides out reloads, 1.5 s).
    expect(await stateAfter(bens, 0, 1)).toBe("1 online");
    const before = anas.frames.length;
    expect(await stateAfter(anas, before, 1)).toBe("1 online");
    const bensFrom = bens.frames.length;
    await choose(ana, "online");
    expect(await stateAfter(bens, bensFrom, 2)).toBe("2 online");
  });
});
