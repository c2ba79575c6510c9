// An agent's inbox socket lives only as long as the session that opened it: signing out, a
// password change and expiry close it, and a `view` on a socket whose session ended replays nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { hmacHex } from "../auth/tokens.ts";
import * as conversationService from "../conversations/service.ts";
import { agentSessions } from "../db/schema/index.ts";
import { signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, signIn, TEST_ORIGIN, TEST_PASSWORD, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

/** Long enough for a close sent at once, short enough that a socket left open fails the test. */
const CLOSE_WITHIN_MS = 1000;

describe(`inbox sockets end with their session (${storageMode})`, () => {
  let t: TestApp;
  let url: string;
  let inbox: InboxRow;
  let ana: TeamMember;
  let ben: TeamMember;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    ({ ana, ben, inbox } = await signedInTeam(t));
    url = `${t.listen().replace("http", "ws")}/ws/inbox`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  async function inboxSocket(cookie: string): Promise<TestSocket> {
    const socket = await openSocket(url, { cookie, origin: TEST_ORIGIN });
    sockets.push(socket);
    await socket.waitFor((f) => f.includes('id="live-status"'));
    return socket;
  }

  /** The agent_sessions row behind a session cookie (`sd_session=<token>`). */
  const sessionRow = (cookie: string) => eq(agentSessions.tokenHash, hmacHex(t.ctx.sessionSecret, cookie.slice(cookie.indexOf("=") + 1)));

  /** Resolves with the close code, or "open" if the socket is still open after CLOSE_WITHIN_MS. */
  const closedWithin = (socket: TestSocket, ms = CLOSE_WITHIN_MS) =>
    Promise.race([socket.closed.then((c) => c.code), Bun.sleep(ms).then(() => "open" as const)]);

  /** A conversation with one customer message: what a `view` frame would replay. */
  async function conversationSaying(body: string): Promise<string> {
    const { conversation } = await conversationService.customerSends(
      { db: t.database.db, bus: t.ctx.bus },
      { inbox, contactId: Bun.randomUUIDv7(), clientId: crypto.randomUUID(), body },
    );
    return conversation.id;
  }

  /** Proves a socket still works: a view replays the conversation's message to it. */
  async function stillServes(socket: TestSocket, conversationId: string, body: string) {
    const from = socket.frames.length;
    socket.send({ type: "view", conversation: conversationId, after: 0 });
    expect(await socket.waitFor((f) => f.includes(body), 5000, from)).toContain(body);
  }

  test("signing out closes every tab of that session at once; another session of the same agent stays", async () => {
    const other = await signIn(t, "ana@example.com");
    const [tab1, tab2, elsewhere] = [await inboxSocket(ana.cookie), await inboxSocket(ana.cookie), await inboxSocket(other)];

    const res = await t.post("/logout", {}, { cookie: ana.cookie });
    expect(res.status).toBe(303);

    expect(await closedWithin(tab1)).toBe(1008);
    expect(await closedWithin(tab2)).toBe(1008);
    const id = await conversationSaying("still here for the other session");
    await stillServes(elsewhere, id, "still here for the other session");
  });

  test("changing the password closes the sockets of the agent's other sessions, not this one", async () => {
    const stolen = await signIn(t, "ben@example.com");
    const [mine, thief] = [await inboxSocket(ben.cookie), await inboxSocket(stolen)];

    const res = await t.post("/settings/profile/password", { current: TEST_PASSWORD, password: "a new long password" }, { cookie: ben.cookie });
    expect(res.status).toBe(303);

    expect(await closedWithin(thief)).toBe(1008);
    const id = await conversationSaying("for the agent who changed it");
    await stillServes(mine, id, "for the agent who changed it");
  });

  test("a view on a socket whose session ended (the closing message lost) replays nothing and closes it", async () => {
    const cookie = await signIn(t, "ana@example.com");
    const socket = await inboxSocket(cookie);
    const id = await conversationSaying("a secret the signed-out socket must not get");
    // Ended in the database only, as when the instance that ended it could not tell this one.
    await t.database.db.update(agentSessions).set({ revokedAt: new Date() }).where(sessionRow(cookie));

    socket.send({ type: "view", conversation: id, after: 0 });
    expect(await closedWithin(socket, 5000)).toBe(1008);
    expect(socket.frames.join("\n")).not.toContain("a secret the signed-out socket must not get");
  });

  test("a session that expires closes its open socket", async () => {
    const cookie = await signIn(t, "ana@example.com");
    await t.database.db.update(agentSessions).set({ expiresAt: new Date(Date.now() + 1500) }).where(sessionRow(cookie));
    const socket = await inboxSocket(cookie);
    expect(await closedWithin(socket, 5000)).toBe(1008);
    // And the cookie no longer opens one.
    await expect(openSocket(url, { cookie, origin: TEST_ORIGIN })).rejects.toThrow();
  });
});
