// The widget HTTP API: rate limits (docs/widget-protocol.md, Limits).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, count, eq, ne } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { conversations } from "../db/schema/index.ts";
import { DEFAULT_RATE_LIMITS, type RateLimitPolicy, type RateLimits } from "../limits/rate-limits.ts";
import { memoryRateLimits, redisRateLimits } from "../testing/limits.ts";
import { createLogger } from "../log/logger.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { requestSession } from "../testing/widget-client.ts";
import { appEnv, conversationOf, handoff, insertInbox, type Json, messageRows, mode, okSession, redisUrl, send } from "./widget-api-testing.ts";

const TIGHT = {
  ...DEFAULT_RATE_LIMITS,
  message: { perContact: { points: 3, seconds: 60 }, perIp: { points: 1000, seconds: 60 } },
  conversation: { perContact: { points: 1, seconds: 3600 }, perIp: { points: 1000, seconds: 3600 } },
  session: { perContact: { points: 1000, seconds: 60 }, perIp: { points: 3, seconds: 60 } },
} satisfies RateLimitPolicy;

describe(`widget HTTP API: rate limits (${mode})`, () => {
  let t: TestApp;
  let db: Db;
  let limits: RateLimits;

  beforeAll(async () => {
    const silent = createLogger({ level: "error", format: "json" }, () => {});
    // On Redis the budgets live in Redis; a prefix of its own keeps other runs' counts out.
    limits = redisUrl ? redisRateLimits(redisUrl, silent, TIGHT, { keyPrefix: `sd-test:widget-api:${crypto.randomUUID()}` }) : memoryRateLimits(TIGHT);
    t = await createTestApp({ env: appEnv, limits });
    db = t.database.db;
  });
  afterAll(async () => {
    await t.close();
    await limits.close();
  });

  /** A refusal as the protocol describes it: 429, Retry-After in whole seconds >= 1, the same in the body. */
  function expectRateLimited(res: Response, data: Json, windowSeconds: number) {
    expect(res.status).toBe(429);
    const header = res.headers.get("retry-after");
    expect(header).toMatch(/^\d+$/);
    const seconds = Number(header);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(windowSeconds);
    expect(data.error.code).toBe("rate_limited");
    expect(data.error.retryAfter).toBe(seconds);
  }

  test("messages beyond the limit answer 429 with Retry-After, and the refused message is not stored", async () => {
    const inbox = await insertInbox(db, { handoffMode: "immediate" });
    const s = await okSession(t, { inbox: inbox.publicKey });
    for (let i = 1; i <= TIGHT.message.perContact.points; i++) {
      expect((await send(t, s.token, { clientId: `m-${i}`, body: `Message ${i}` })).res.status).toBe(201);
    }
    const refused = await send(t, s.token, { clientId: "one-too-many", body: "One too many" });
    expectRateLimited(refused.res, refused.data, TIGHT.message.perContact.seconds);
    const conversation = await conversationOf(db, inbox.id, s.contact.id);
    const rows = await messageRows(db, conversation!.id);
    expect(rows.map((r) => r.clientId)).toEqual(["m-1", "m-2", "m-3"]);
    expect(conversation!.lastSeq).toBe(3);

    // Another visitor has a budget of their own.
    const other = await okSession(t, { inbox: inbox.publicKey });
    expect((await send(t, other.token, { clientId: "m-1", body: "Mine" })).res.status).toBe(201);
  });

  test("new conversations per contact are limited: writing to a closed one again answers 429 and does not reopen it", async () => {
    const inbox = await insertInbox(db, { handoffMode: "immediate" });
    const s = await okSession(t, { inbox: inbox.publicKey });
    expect((await send(t, s.token, { clientId: "first", body: "First conversation" })).res.status).toBe(201);
    const conversation = (await conversationOf(db, inbox.id, s.contact.id))!;
    // An agent closed it (set directly: the verb is not what is under test).
    await db.update(conversations).set({ status: "closed", closedAt: new Date() }).where(eq(conversations.id, conversation.id));

    const refused = await send(t, s.token, { clientId: "second", body: "Starting over" });
    expectRateLimited(refused.res, refused.data, TIGHT.conversation.perContact.seconds);
    const hand = await handoff(t, s.token);
    expectRateLimited(hand.res, hand.data, TIGHT.conversation.perContact.seconds);

    const after = (await conversationOf(db, inbox.id, s.contact.id))!;
    expect(after.status).toBe("closed");
    expect((await messageRows(db, conversation.id)).map((r) => r.clientId)).toEqual(["first"]);
    const [others] = await db.select({ n: count() }).from(conversations).where(and(eq(conversations.contactId, s.contact.id), ne(conversations.id, conversation.id)));
    expect(others!.n).toBe(0);
  });

  test("a handoff that starts a conversation counts against the same limit", async () => {
    const inbox = await insertInbox(db);
    const s = await okSession(t, { inbox: inbox.publicKey });
    expect((await handoff(t, s.token)).res.status).toBe(200);
    const conversation = (await conversationOf(db, inbox.id, s.contact.id))!;
    await db.update(conversations).set({ status: "closed", closedAt: new Date() }).where(eq(conversations.id, conversation.id));
    const refused = await handoff(t, s.token);
    expectRateLimited(refused.res, refused.data, TIGHT.conversation.perContact.seconds);
    expect((await conversationOf(db, inbox.id, s.contact.id))!.status).toBe("closed");
  });

  test("sessions per IP are limited", async () => {
    const inbox = await insertInbox(db);
    const base = t.listen();
    const start = () => requestSession(base, { inbox: inbox.publicKey });
    for (let i = 0; i < TIGHT.session.perIp.points; i++) expect((await start()).status).toBe(200);
    const refused = await start();
    expectRateLimited(refused, (await refused.json()) as Json, TIGHT.session.perIp.seconds);
  });
});

describe(`widget HTTP API: the operator's per-IP budget of new conversations (${mode})`, () => {
  let t: TestApp;
  let db: Db;

  beforeAll(async () => {
    // The budget is policy, not storage: counted in this process whatever the lane.
    t = await createTestApp({ env: { TRUST_PROXY: "true", CONVERSATIONS_PER_IP_PER_HOUR: "2" } });
    db = t.database.db;
  });
  afterAll(() => t.close());

  test("CONVERSATIONS_PER_IP_PER_HOUR=2: a third visitor behind the same address is refused; one behind another address is not", async () => {
    const inbox = await insertInbox(db, { handoffMode: "immediate" });
    const office = { "x-forwarded-for": "198.51.100.7" };
    const startsOne = async (headers: Record<string, string>) => {
      const s = await okSession(t, { inbox: inbox.publicKey }, headers);
      return send(t, s.token, { clientId: "first", body: "Hello" }, headers);
    };
    expect((await startsOne(office)).res.status).toBe(201);
    expect((await startsOne(office)).res.status).toBe(201);
    const third = await startsOne(office);
    expect(third.res.status).toBe(429);
    expect(third.data.error.code).toBe("rate_limited");
    expect((await startsOne({ "x-forwarded-for": "203.0.113.9" })).res.status).toBe(201);
  });
});
