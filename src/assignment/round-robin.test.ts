import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { agents, conversationEvents, conversations, inboxes } from "../db/schema/index.ts";
import { signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { eventually } from "../testing/eventually.ts";
import { createTestApp, signIn, TEST_ORIGIN, TEST_PASSWORD, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { testRedisUrl } from "../testing/two-instances.ts";
import { requestSession, wsUrl } from "../testing/widget-client.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";
import { widgetConversation } from "../widget/service.ts";
import { nextInTurn } from "./round-robin.ts";

describe(`round-robin assignment (${storageMode}${testRedisUrl ? " + redis" : ""})`, () => {
  let t: TestApp;
  let base: string;
  let ana: TeamMember;
  let ben: TeamMember;
  let cat: TeamMember;
  let inbox: InboxRow;
  const open: TestSocket[] = [];

  beforeAll(async () => {
    // With Redis the per-IP budget for new conversations is shared by every test run on this machine: not this test's subject.
    const limits = { CONVERSATIONS_PER_IP_PER_HOUR: "100000" };
    t = await createTestApp({ env: testRedisUrl ? { ...limits, REDIS_URL: testRedisUrl, SESSION_SECRET: "round-robin-secret-0123456789abcdef" } : limits });
    base = t.listen();
    ({ ana, ben, inbox } = await signedInTeam(t, { handoffMode: "immediate", assignmentMode: "round_robin", maxOpenPerAgent: 2 }));
    // Cat has the inbox open too, but is Away.
    const [row] = await t.database.db
      .insert(agents)
      .values({ name: "Cat", email: "cat@example.com", passwordHash: await Bun.password.hash(TEST_PASSWORD), availability: "away" })
      .returning({ id: agents.id });
    cat = { id: row!.id, cookie: await signIn(t, "cat@example.com") };
    for (const who of [ana, ben, cat]) open.push(await openSocket(wsUrl(base, "/ws/inbox"), { cookie: who.cookie, origin: TEST_ORIGIN }));
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t.close();
  });

  async function customerWrites(n: number): Promise<string> {
    const { token, contact } = (await (await requestSession(base, { inbox: inbox.publicKey })).json()) as { token: string; contact: { id: string } };
    const res = await fetch(`${base}/api/v1/widget/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ clientId: crypto.randomUUID(), body: `Question ${n}` }),
    });
    expect(res.status).toBe(201);
    const [row] = await t.database.db.select({ id: conversations.id }).from(conversations).where(eq(conversations.contactId, contact.id));
    return row!.id;
  }
  const rows = () => t.database.db.select().from(conversations).where(eq(conversations.inboxId, inbox.id));
  const ownedBy = async (id: string) => (await rows()).filter((c) => c.status === "assigned" && c.assigneeId === id).length;

  test("five new conversations over two online agents with a limit of 2: 2 + 2 assigned, one waits first in the queue; Away gets none", async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push(await customerWrites(i));
    await eventually(async () => (await rows()).filter((c) => c.status === "assigned").length === 4, "four assigned");
    await t.ctx.queueDrainer.settled();
    expect([await ownedBy(ana.id), await ownedBy(ben.id), await ownedBy(cat.id)]).toEqual([2, 2, 0]);
    const waiting = (await rows()).filter((c) => c.status === "queued");
    expect(waiting.map((c) => c.id)).toEqual([ids[4]!]);
    expect(await widgetConversation(t.database.db, ids[4]!)).toMatchObject({ status: "queued", queuePosition: 1 });
    // Each assignment is recorded as the system's.
    const events = await t.database.db.select().from(conversationEvents).where(and(eq(conversationEvents.type, "assigned"), eq(conversationEvents.actorType, "system")));
    expect(events.length).toBe(4);
  });

  test("an agent closing one takes the next", async () => {
    const [waiting] = (await rows()).filter((c) => c.status === "queued");
    const [mine] = (await rows()).filter((c) => c.assigneeId === ben.id);
    const res = await t.post(`/inbox/c/${mine!.id}/close`, {}, { cookie: ben.cookie });
    expect(res.status).toBeLessThan(400);
    await eventually(async () => (await rows()).find((c) => c.id === waiting!.id)?.status === "assigned", "the waiting one assigned");
    expect((await rows()).find((c) => c.id === waiting!.id)?.assigneeId).toBe(ben.id);
    expect(await widgetConversation(t.database.db, waiting!.id)).toMatchObject({ status: "assigned", agent: { name: "Ben" } });
  });

  test("an Away agent who switches to Online takes what waits; everyone full leaves the next waiting", async () => {
    const sixth = await customerWrites(6);
    await t.ctx.queueDrainer.settled();
    expect((await rows()).find((c) => c.id === sixth)?.status).toBe("queued");
    await t.post("/settings/profile/availability", { availability: "online" }, { cookie: cat.cookie });
    await eventually(async () => (await rows()).find((c) => c.id === sixth)?.assigneeId === cat.id, "Cat takes the waiting one");
  });

  test("manual inboxes are left alone", async () => {
    await t.database.db.update(inboxes).set({ assignmentMode: "manual" }).where(eq(inboxes.id, inbox.id));
    const seventh = await customerWrites(7);
    await t.ctx.queueDrainer.settled();
    expect((await rows()).find((c) => c.id === seventh)?.status).toBe("queued");
  });
});

describe("whose turn it is", () => {
  const at = (ms: number | null) => (ms === null ? null : new Date(ms));
  const c = (id: string, last: number | null, open: number) => ({ id, name: id, lastAutoAssignedAt: at(last), open });
  test("room first, then the oldest last assignment (never before anyone), then id", () => {
    expect(nextInTurn([c("b", 10, 0), c("a", 20, 0)], 2)?.id).toBe("b");
    expect(nextInTurn([c("b", 10, 2), c("a", 20, 1)], 2)?.id).toBe("a");
    expect(nextInTurn([c("b", 10, 0), c("a", null, 5)], null)?.id).toBe("a");
    expect(nextInTurn([c("b", null, 0), c("a", null, 0)], 1)?.id).toBe("a");
    expect(nextInTurn([c("a", 1, 2), c("b", 2, 3)], 2)).toBeUndefined();
  });
});
