// The widget's HTTP API (docs/widget-protocol.md) as a client sees it: sessions, identity, token
// binding, messages, the bot, origins, rate limits and who may touch what (ARCHITECTURE §4, §6).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, count, eq, ne } from "drizzle-orm";
import { hmacHex } from "../auth/tokens.ts";
import { botFallback } from "../conversations/bot.ts";
import type { Db } from "../db/database.ts";
import { contacts, conversationEvents, conversations, inboxes, messages } from "../db/schema/index.ts";
import { ensureDefaultInbox, updateInboxSettings } from "../inboxes/service.ts";
import { DEFAULT_RATE_LIMITS, type RateLimitPolicy, type RateLimits } from "../limits/rate-limits.ts";
import { memoryRateLimits, redisRateLimits } from "../testing/limits.ts";
import { createLogger } from "../log/logger.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { requestSession } from "../testing/widget-client.ts";
import { identityHash } from "./identity.ts";
import { catalogs } from "./locales/index.ts";
import { signVisitorToken, verifyVisitorToken } from "./visitor-token.ts";

const redisUrl = process.env.TEST_REDIS_URL?.trim() || null;
const mode = redisUrl ? `${storageMode} + redis` : storageMode;
/** With TEST_REDIS_URL the app publishes through Redis, as a multi-instance deployment does. */
const appEnv: Record<string, string> = redisUrl ? { REDIS_URL: redisUrl, SESSION_SECRET: "widget-api-test-secret-0123456789abcdef" } : {};

const DAY_MS = 24 * 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// --- helpers -------------------------------------------------------------------------------------

type Json = Record<string, any>;

let inboxCounter = 0;

/** An inbox row with the settings a test needs; the identity secret is returned for hashing. */
async function insertInbox(db: Db, values: Partial<typeof inboxes.$inferInsert> = {}) {
  inboxCounter++;
  const [row] = await db
    .insert(inboxes)
    .values({
      name: `Shop ${inboxCounter}`,
      publicKey: `pk_test_${inboxCounter}_${crypto.randomUUID().slice(0, 8)}`,
      identitySecret: `identity-secret-${crypto.randomUUID()}`,
      ...values,
    })
    .returning();
  return row!;
}

function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

const bearer = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });

async function call(t: TestApp, path: string, init?: RequestInit): Promise<{ res: Response; data: Json }> {
  const res = await t.request(path, init);
  const text = await res.text();
  let data: Json;
  try {
    data = JSON.parse(text) as Json;
  } catch {
    data = { text };
  }
  return { res, data };
}

const session = (t: TestApp, body: unknown, headers: Record<string, string> = {}) => call(t, "/api/v1/widget/session", postJson(body, headers));

/** A session that must succeed; its response body. */
async function okSession(t: TestApp, body: unknown, headers: Record<string, string> = {}): Promise<Json> {
  const { res, data } = await session(t, body, headers);
  expect(res.status).toBe(200);
  return data;
}

const send = (t: TestApp, token: string, body: unknown, headers: Record<string, string> = {}) =>
  call(t, "/api/v1/widget/messages", postJson(body, bearer(token, headers)));

const fetchMessages = (t: TestApp, token: string, query = "", headers: Record<string, string> = {}) =>
  call(t, `/api/v1/widget/messages${query}`, { headers: bearer(token, headers) });

const handoff = (t: TestApp, token: string, body?: unknown) =>
  call(t, "/api/v1/widget/handoff", body === undefined ? { method: "POST", headers: bearer(token) } : postJson(body, bearer(token)));

async function countContacts(db: Db, inboxId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(contacts).where(eq(contacts.inboxId, inboxId));
  return row!.n;
}

async function messageRows(db: Db, conversationId: string) {
  return db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.seq);
}

async function conversationOf(db: Db, inboxId: string, contactId: string) {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.inboxId, inboxId), eq(conversations.contactId, contactId)));
  return row;
}

/** Everything stored about one conversation, to prove that a request changed nothing. */
async function snapshot(db: Db, conversationId: string) {
  const [conversation] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
  const events = await db.select().from(conversationEvents).where(eq(conversationEvents.conversationId, conversationId));
  return { conversation, messages: await messageRows(db, conversationId), events: events.map((e) => e.id).sort() };
}

/** Changes one character of `s` at `index` into another character of the same alphabet. */
function flipChar(s: string, index: number, alphabet: string): string {
  const current = s[index]!;
  const replacement = alphabet[(alphabet.indexOf(current) + 1) % alphabet.length]!;
  return s.slice(0, index) + replacement + s.slice(index + 1);
}

// --- sessions, identity, tokens, messages, origins, authorization, CORS ------------------------------

describe(`widget HTTP API (${mode})`, () => {
  let t: TestApp;
  let db: Db;

  beforeAll(async () => {
    t = await createTestApp({ env: appEnv });
    db = t.database.db;
  });
  afterAll(() => t.close());

  describe("session", () => {
    test("the inbox's public key starts an anonymous session: a token, no conversation, the inbox's look", async () => {
      const inbox = await insertInbox(db, { greeting: "Hello from the shop", color: "#112233", position: "left" });
      const data = await okSession(t, { inbox: inbox.publicKey });
      expect(typeof data.token).toBe("string");
      expect(data.token).toMatch(/^v1\.[A-Za-z0-9_-]+\.[0-9a-f]{64}$/);
      expect(data.contact).toEqual({ id: expect.stringMatching(UUID), name: null, email: null, verified: false });
      expect(data.conversation).toBeNull();
      expect(data.messages).toEqual([]);
      expect(data.lastSeq).toBe(0);
      expect(data.inbox).toEqual({
        name: inbox.name,
        greeting: "Hello from the shop",
        color: "#112233",
        position: "left",
        handoffMode: inbox.handoffMode,
        agentsOnline: expect.any(Boolean),
      });
      // The token works for the messages endpoint straight away.
      const { res, data: list } = await fetchMessages(t, data.token);
      expect(res.status).toBe(200);
      expect(list).toEqual({ conversation: null, messages: [], lastSeq: 0 });
    });

    test("an anonymous visitor gets no contact row until their first message", async () => {
      const inbox = await insertInbox(db);
      const before = await countContacts(db, inbox.id);
      const first = await okSession(t, { inbox: inbox.publicKey });
      await okSession(t, { inbox: inbox.publicKey });
      await okSession(t, { inbox: inbox.publicKey, token: first.token });
      expect(await countContacts(db, inbox.id)).toBe(before);

      const { res } = await send(t, first.token, { clientId: "first", body: "Hi there" });
      expect(res.status).toBe(201);
      expect(await countContacts(db, inbox.id)).toBe(before + 1);
      const [row] = await db.select().from(contacts).where(eq(contacts.id, first.contact.id));
      expect(row?.inboxId).toBe(inbox.id);
      expect(row?.externalId).toBeNull();
    });

    test("an unknown inbox key answers 404 unknown_inbox", async () => {
      const { res, data } = await session(t, { inbox: "pk_does_not_exist" });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(data.error.code).toBe("unknown_inbox");
      expect(typeof data.error.message).toBe("string");
    });

    test("a malformed session body answers 400 with a JSON error, never a 500", async () => {
      const inbox = await insertInbox(db);
      const big = "x".repeat(100_000);
      const bodies: [string, string][] = [
        ["missing inbox", JSON.stringify({})],
        ["inbox a number", JSON.stringify({ inbox: 42 })],
        ["inbox empty", JSON.stringify({ inbox: "" })],
        ["inbox null", JSON.stringify({ inbox: null })],
        ["token a number", JSON.stringify({ inbox: inbox.publicKey, token: 7 })],
        ["user a string", JSON.stringify({ inbox: inbox.publicKey, user: "alice" })],
        ["user without hash", JSON.stringify({ inbox: inbox.publicKey, user: { id: "u1" } })],
        ["user id a number", JSON.stringify({ inbox: inbox.publicKey, user: { id: 1, hash: "abc" } })],
        ["huge inbox", JSON.stringify({ inbox: big })],
        ["huge token", JSON.stringify({ inbox: inbox.publicKey, token: big })],
        ["huge user id", JSON.stringify({ inbox: inbox.publicKey, user: { id: big, hash: "abc" } })],
        ["huge email", JSON.stringify({ inbox: inbox.publicKey, user: { id: "u", email: big, hash: "abc" } })],
        ["an array", JSON.stringify([inbox.publicKey])],
        ["null", "null"],
        ["not JSON", "{inbox:"],
      ];
      for (const [what, body] of bodies) {
        const res = await t.request("/api/v1/widget/session", { method: "POST", headers: { "content-type": "application/json" }, body });
        const text = await res.text();
        expect({ what, status: res.status }).toEqual({ what, status: 400 });
        const parsed = JSON.parse(text) as Json;
        expect({ what, code: typeof parsed.error?.code }).toEqual({ what, code: "string" });
      }
      expect(await countContacts(db, inbox.id)).toBe(0);
    });

    test("a returning visitor keeps their contact, and later sees their conversation, messages and lastSeq", async () => {
      const inbox = await insertInbox(db, { handoffMode: "immediate" });
      const first = await okSession(t, { inbox: inbox.publicKey });
      const again = await okSession(t, { inbox: inbox.publicKey, token: first.token });
      expect(again.contact.id).toBe(first.contact.id);
      expect(again.conversation).toBeNull();

      const a = await send(t, again.token, { clientId: "r-1", body: "My order is late" });
      const b = await send(t, again.token, { clientId: "r-2", body: "Order 1234" });
      expect([a.res.status, b.res.status]).toEqual([201, 201]);

      const back = await okSession(t, { inbox: inbox.publicKey, token: again.token });
      const stored = await conversationOf(db, inbox.id, first.contact.id);
      expect(back.contact.id).toBe(first.contact.id);
      expect(back.conversation).toMatchObject({ id: stored!.id, status: stored!.status, lastSeq: stored!.lastSeq });
      expect(back.messages.map((m: Json) => m.id)).toEqual([a.data.message.id, b.data.message.id]);
      expect(back.messages.map((m: Json) => m.body)).toEqual(["My order is late", "Order 1234"]);
      expect(back.lastSeq).toBe(b.data.message.seq);
      expect(back.lastSeq).toBe(stored!.lastSeq);
    });
  });

  describe("identity", () => {
    test("a valid user hash makes a verified contact and stores its email and name", async () => {
      const inbox = await insertInbox(db);
      const user = { id: "user-42", email: "ada@example.com", name: "Ada", hash: identityHash(inbox.identitySecret, "user-42") };
      const data = await okSession(t, { inbox: inbox.publicKey, user });
      expect(data.contact).toEqual({ id: expect.stringMatching(UUID), name: "Ada", email: "ada@example.com", verified: true });
      const [row] = await db.select().from(contacts).where(eq(contacts.id, data.contact.id));
      expect(row).toMatchObject({ inboxId: inbox.id, externalId: "user-42", email: "ada@example.com", name: "Ada" });
    });

    test("the same user on a second device (no token) finds the same conversation", async () => {
      const inbox = await insertInbox(db);
      const user = { id: "user-7", email: "bo@example.com", hash: identityHash(inbox.identitySecret, "user-7") };
      const laptop = await okSession(t, { inbox: inbox.publicKey, user });
      const sent = await send(t, laptop.token, { clientId: "l-1", body: "Written on my laptop" });
      expect(sent.res.status).toBe(201);

      const phone = await okSession(t, { inbox: inbox.publicKey, user });
      expect(phone.contact.id).toBe(laptop.contact.id);
      expect(phone.contact.verified).toBe(true);
      const stored = await conversationOf(db, inbox.id, laptop.contact.id);
      expect(phone.conversation?.id).toBe(stored!.id);
      expect(phone.messages.map((m: Json) => m.id)).toContain(sent.data.message.id);
      const { data } = await fetchMessages(t, phone.token);
      expect(data.messages.map((m: Json) => m.id)).toContain(sent.data.message.id);
    });

    test("a wrong hash answers 401 identity_invalid and writes nothing", async () => {
      const inbox = await insertInbox(db);
      const wrong = [
        identityHash("some-other-secret", "user-1"), // another inbox's secret
        identityHash(inbox.identitySecret, "user-2"), // another user's hash
        identityHash(inbox.identitySecret, "user-1").slice(0, 63), // cut short
        "not-a-hash",
      ];
      for (const hash of wrong) {
        const { res, data } = await session(t, { inbox: inbox.publicKey, user: { id: "user-1", email: "x@example.com", hash } });
        expect(res.status).toBe(401);
        expect(data.error.code).toBe("identity_invalid");
      }
      expect(await countContacts(db, inbox.id)).toBe(0);
      // The correct hash (any case: it is hex) is accepted.
      const right = identityHash(inbox.identitySecret, "user-1").toUpperCase();
      expect((await session(t, { inbox: inbox.publicKey, user: { id: "user-1", hash: right } })).res.status).toBe(200);
    });

    test("an inbox that requires identity refuses anonymous visitors with 401 identity_required", async () => {
      const inbox = await insertInbox(db, { requireIdentity: true });
      const { res, data } = await session(t, { inbox: inbox.publicKey });
      expect(res.status).toBe(401);
      expect(data.error.code).toBe("identity_required");
      // A token from an earlier anonymous session does not get around it either.
      const forged = signVisitorToken(t.ctx.sessionSecret, { inboxId: inbox.id, contactId: crypto.randomUUID() });
      expect((await session(t, { inbox: inbox.publicKey, token: forged })).data.error?.code).toBe("identity_required");
      const user = { id: "member-1", hash: identityHash(inbox.identitySecret, "member-1") };
      const ok = await okSession(t, { inbox: inbox.publicKey, user });
      expect(ok.contact.verified).toBe(true);
      expect((await send(t, ok.token, { clientId: "m-1", body: "Signed in" })).res.status).toBe(201);
    });

    test("turning requireIdentity on shuts out anonymous tokens issued before, at once", async () => {
      const inbox = await insertInbox(db);
      const anon = await okSession(t, { inbox: inbox.publicKey });
      expect((await send(t, anon.token, { clientId: "before", body: "Before the switch" })).res.status).toBe(201);
      await updateInboxSettings(db, inbox.id, { ...inbox, requireIdentity: true });
      const after = await send(t, anon.token, { clientId: "after", body: "After the switch" });
      expect(after.res.status).toBe(401);
      expect(after.data.error.code).toBe("unauthorized");
    });

    test("an anonymous visitor who wrote first and then signs in keeps their conversation", async () => {
      const inbox = await insertInbox(db);
      const anon = await okSession(t, { inbox: inbox.publicKey });
      const sent = await send(t, anon.token, { clientId: "a-1", body: "Before signing in" });
      expect(sent.res.status).toBe(201);
      const conversation = await conversationOf(db, inbox.id, anon.contact.id);

      const user = { id: "user-99", email: "cy@example.com", name: "Cy", hash: identityHash(inbox.identitySecret, "user-99") };
      const signedIn = await okSession(t, { inbox: inbox.publicKey, token: anon.token, user });
      expect(signedIn.contact).toEqual({ id: anon.contact.id, name: "Cy", email: "cy@example.com", verified: true });
      expect(signedIn.conversation?.id).toBe(conversation!.id);
      expect(signedIn.messages.map((m: Json) => m.id)).toContain(sent.data.message.id);
      expect(await countContacts(db, inbox.id)).toBe(1);
      // And from another device the user finds that same conversation.
      const phone = await okSession(t, { inbox: inbox.publicKey, user });
      expect(phone.conversation?.id).toBe(conversation!.id);
    });

    test("a verified user's token without the user starts a fresh anonymous visitor with no access to the user's chat", async () => {
      const inbox = await insertInbox(db);
      const user = { id: "user-shared-pc", hash: identityHash(inbox.identitySecret, "user-shared-pc") };
      const signedIn = await okSession(t, { inbox: inbox.publicKey, user });
      const sent = await send(t, signedIn.token, { clientId: "s-1", body: "Private: my address is ..." });
      expect(sent.res.status).toBe(201);

      const after = await okSession(t, { inbox: inbox.publicKey, token: signedIn.token });
      expect(after.contact.id).not.toBe(signedIn.contact.id);
      expect(after.contact.verified).toBe(false);
      expect(after.conversation).toBeNull();
      expect(after.messages).toEqual([]);
      const { data } = await fetchMessages(t, after.token);
      expect(data).toEqual({ conversation: null, messages: [], lastSeq: 0 });
    });
  });

  describe("token binding", () => {
    test("a tampered token answers 401 unauthorized on GET and POST messages", async () => {
      const inbox = await insertInbox(db);
      const s = await okSession(t, { inbox: inbox.publicKey });
      expect((await send(t, s.token, { clientId: "genuine", body: "Genuine" })).res.status).toBe(201);
      const [version, payload, signature] = (s.token as string).split(".") as [string, string, string];
      const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      const tampered = [
        `${version}.${flipChar(payload, 5, b64)}.${signature}`,
        `${version}.${flipChar(payload, payload.length - 3, b64)}.${signature}`,
        `${version}.${payload}.${flipChar(signature, 0, "0123456789abcdef")}`,
        `${version}.${payload}.${flipChar(signature, signature.length - 1, "0123456789abcdef")}`,
        `v2.${payload}.${signature}`,
        `${version}.${payload}`,
        "garbage",
      ];
      const rowsBefore = (await messageRows(db, (await conversationOf(db, inbox.id, s.contact.id))!.id)).length;
      for (const token of tampered) {
        const get = await fetchMessages(t, token);
        expect({ token, status: get.res.status, code: get.data.error?.code }).toEqual({ token, status: 401, code: "unauthorized" });
        const post = await send(t, token, { clientId: `t-${token.length}`, body: "Tampered" });
        expect({ token, status: post.res.status, code: post.data.error?.code }).toEqual({ token, status: 401, code: "unauthorized" });
      }
      expect((await messageRows(db, (await conversationOf(db, inbox.id, s.contact.id))!.id)).length).toBe(rowsBefore);
      // No token, or not as a Bearer, is the same.
      expect((await call(t, "/api/v1/widget/messages")).res.status).toBe(401);
      expect((await call(t, "/api/v1/widget/messages", { headers: { authorization: s.token } })).res.status).toBe(401);
    });

    test("an expired token answers 401 unauthorized; one that expires later still works", async () => {
      const inbox = await insertInbox(db);
      const s = await okSession(t, { inbox: inbox.publicKey });
      const claims = { inboxId: inbox.id, contactId: s.contact.id };
      const expired = signVisitorToken(t.ctx.sessionSecret, claims, Date.now() - 31 * DAY_MS);
      const get = await fetchMessages(t, expired);
      expect([get.res.status, get.data.error?.code]).toEqual([401, "unauthorized"]);
      const post = await send(t, expired, { clientId: "late", body: "Too late" });
      expect([post.res.status, post.data.error?.code]).toEqual([401, "unauthorized"]);
      expect(await conversationOf(db, inbox.id, s.contact.id)).toBeUndefined();
      // Signed 29 days ago it has a day left.
      const fresh = signVisitorToken(t.ctx.sessionSecret, claims, Date.now() - 29 * DAY_MS);
      expect((await fetchMessages(t, fresh)).res.status).toBe(200);
      // An expired token given to session is no returning visitor: a new contact starts.
      const renewed = await okSession(t, { inbox: inbox.publicKey, token: expired });
      expect(renewed.contact.id).not.toBe(s.contact.id);
    });

    test("a token signed with another secret answers 401", async () => {
      const inbox = await insertInbox(db);
      const s = await okSession(t, { inbox: inbox.publicKey });
      const foreign = signVisitorToken("another-deployment-secret-0123456789", { inboxId: inbox.id, contactId: s.contact.id });
      expect((await fetchMessages(t, foreign)).res.status).toBe(401);
      expect((await send(t, foreign, { clientId: "f", body: "Foreign" })).res.status).toBe(401);
    });

    // BUG: src/widget/service.ts visitorFromToken() accepts any signed {inboxId, contactId} pair without
    // checking that the contact (when it exists) belongs to that inbox; GET answers 200 and POST 201,
    // and contacts.ensureContact() (src/contacts/queries.ts) silently keeps the other inbox's row, so a
    // conversation of inbox A is created for a contact of inbox B. Expected: 401 unauthorized, nothing stored.
    test("a token binding one inbox to another inbox's contact answers 401 unauthorized", async () => {
      const inboxA = await insertInbox(db);
      const inboxB = await insertInbox(db);
      const b = await okSession(t, { inbox: inboxB.publicKey });
      expect((await send(t, b.token, { clientId: "b-1", body: "I belong to inbox B" })).res.status).toBe(201);
      const crossed = signVisitorToken(t.ctx.sessionSecret, { inboxId: inboxA.id, contactId: b.contact.id });
      const get = await fetchMessages(t, crossed);
      expect([get.res.status, get.data.error?.code]).toEqual([401, "unauthorized"]);
      const post = await send(t, crossed, { clientId: "x-1", body: "Crossed" });
      expect([post.res.status, post.data.error?.code]).toEqual([401, "unauthorized"]);
      expect(await conversationOf(db, inboxA.id, b.contact.id)).toBeUndefined();
    });

    test("a session for another inbox does not continue a visitor of this one", async () => {
      const inboxA = await insertInbox(db);
      const inboxB = await insertInbox(db);
      const a = await okSession(t, { inbox: inboxA.publicKey });
      expect((await send(t, a.token, { clientId: "a-1", body: "In A" })).res.status).toBe(201);
      const b = await okSession(t, { inbox: inboxB.publicKey, token: a.token });
      expect(b.contact.id).not.toBe(a.contact.id);
      expect(b.conversation).toBeNull();
      expect(b.messages).toEqual([]);
    });
  });

  describe("messages over HTTP", () => {
    test("POST answers 201 with the protocol's message shape", async () => {
      const inbox = await insertInbox(db, { handoffMode: "immediate" });
      const s = await okSession(t, { inbox: inbox.publicKey });
      const before = Date.now();
      const { res, data } = await send(t, s.token, { clientId: "c-001", body: "  Where is my parcel?  " });
      expect(res.status).toBe(201);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(Object.keys(data)).toEqual(["message"]);
      const m = data.message;
      expect(Object.keys(m).sort()).toEqual(["body", "clientId", "createdAt", "id", "sender", "seq"]);
      expect(m).toEqual({ id: expect.stringMatching(UUID), seq: 1, clientId: "c-001", body: "Where is my parcel?", sender: "customer", createdAt: expect.any(String) });
      expect(new Date(m.createdAt).toISOString()).toBe(m.createdAt);
      expect(Date.parse(m.createdAt)).toBeGreaterThanOrEqual(before - 1000);
      const [row] = await db.select().from(messages).where(eq(messages.id, m.id));
      expect(row).toMatchObject({ seq: m.seq, clientId: "c-001", body: "Where is my parcel?", sender: "customer" });
    });

    test("the same clientId again answers 200 with the original message and stores it once", async () => {
      const inbox = await insertInbox(db, { handoffMode: "immediate" });
      const s = await okSession(t, { inbox: inbox.publicKey });
      const first = await send(t, s.token, { clientId: "retry-me", body: "Once only" });
      const again = await send(t, s.token, { clientId: "retry-me", body: "Once only" });
      expect(first.res.status).toBe(201);
      expect(again.res.status).toBe(200);
      expect(again.data.message).toEqual(first.data.message);
      const conversation = await conversationOf(db, inbox.id, s.contact.id);
      const rows = (await messageRows(db, conversation!.id)).filter((r) => r.clientId === "retry-me");
      expect(rows).toHaveLength(1);
      expect(conversation!.lastSeq).toBe(first.data.message.seq);
    });

    test("GET ?after=N returns exactly the messages after N, oldest first", async () => {
      const inbox = await insertInbox(db, { handoffMode: "immediate" });
      const s = await okSession(t, { inbox: inbox.publicKey });
      const sent: Json[] = [];
      for (let i = 1; i <= 5; i++) sent.push((await send(t, s.token, { clientId: `m-${i}`, body: `Message ${i}` })).data.message);
      const all = await fetchMessages(t, s.token);
      expect(all.res.status).toBe(200);
      expect(all.data.messages).toEqual(sent);
      expect(all.data.lastSeq).toBe(sent.at(-1)!.seq);
      expect(all.data.conversation).toMatchObject({ status: "queued", lastSeq: sent.at(-1)!.seq });

      for (const n of [0, sent[1]!.seq, sent.at(-1)!.seq]) {
        const { res, data } = await fetchMessages(t, s.token, `?after=${n}`);
        expect(res.status).toBe(200);
        expect(data.messages).toEqual(sent.filter((m) => m.seq > n));
        expect(data.lastSeq).toBe(sent.at(-1)!.seq);
      }
      // after must be a whole number >= 0.
      for (const bad of ["-1", "abc"]) {
        const { res } = await fetchMessages(t, s.token, `?after=${bad}`);
        expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
      }
    });

    test("an empty or too long body answers 400 empty / too_long and stores nothing", async () => {
      const inbox = await insertInbox(db, { handoffMode: "immediate" });
      const s = await okSession(t, { inbox: inbox.publicKey });
      // Before any conversation exists: a refused first message must not start one either.
      for (const [body, code] of [["", "empty"], ["   \n\t ", "empty"], ["x".repeat(5001), "too_long"]] as const) {
        const { res, data } = await send(t, s.token, { clientId: `bad-${code}-${body.length}`, body });
        expect({ code, status: res.status, got: data.error?.code }).toEqual({ code, status: 400, got: code });
      }
      expect(await conversationOf(db, inbox.id, s.contact.id)).toBeUndefined();
      expect(await countContacts(db, inbox.id)).toBe(0);

      const ok = await send(t, s.token, { clientId: "ok", body: "x".repeat(5000) });
      expect(ok.res.status).toBe(201);
      for (const [body, code] of [["", "empty"], ["x".repeat(5001), "too_long"]] as const) {
        const { res, data } = await send(t, s.token, { clientId: `later-${code}`, body });
        expect({ code, status: res.status, got: data.error?.code }).toEqual({ code, status: 400, got: code });
      }
      const conversation = await conversationOf(db, inbox.id, s.contact.id);
      expect((await messageRows(db, conversation!.id)).map((r) => r.clientId)).toEqual(["ok"]);
    });

    test("a missing, empty or too long clientId is refused and stores nothing", async () => {
      const inbox = await insertInbox(db, { handoffMode: "immediate" });
      const s = await okSession(t, { inbox: inbox.publicKey });
      const noClientId = await send(t, s.token, { body: "Hello" });
      expect(noClientId.res.status).toBe(400);
      for (const clientId of ["", "c".repeat(101)]) {
        const { res, data } = await send(t, s.token, { clientId, body: "Hello" });
        expect([res.status, data.error?.code]).toEqual([400, "bad_client_id"]);
      }
      expect(await conversationOf(db, inbox.id, s.contact.id)).toBeUndefined();
      expect((await send(t, s.token, { clientId: "c".repeat(100), body: "Hello" })).res.status).toBe(201);
    });
  });

  describe("origins", () => {
    test("an inbox with allowed origins accepts them, our own origin and server-to-server calls, and refuses others with 403", async () => {
      const inbox = await insertInbox(db, { allowedOrigins: ["https://shop.example"], handoffMode: "immediate" });
      const from = (origin?: string): Record<string, string> => (origin ? { origin } : {});

      for (const origin of ["https://shop.example", TEST_ORIGIN, undefined]) {
        const { res } = await session(t, { inbox: inbox.publicKey }, from(origin));
        expect({ origin, status: res.status }).toEqual({ origin, status: 200 });
      }
      for (const origin of ["https://evil.example", "https://shop.example.evil.example", "http://shop.example", "null"]) {
        const { res, data } = await session(t, { inbox: inbox.publicKey }, from(origin));
        expect({ origin, status: res.status, code: data.error?.code }).toEqual({ origin, status: 403, code: "origin_not_allowed" });
      }

      const s = await okSession(t, { inbox: inbox.publicKey });
      const evil = { origin: "https://evil.example" };
      const post = await send(t, s.token, { clientId: "evil", body: "From evil" }, evil);
      expect([post.res.status, post.data.error?.code]).toEqual([403, "origin_not_allowed"]);
      const get = await fetchMessages(t, s.token, "", evil);
      expect([get.res.status, get.data.error?.code]).toEqual([403, "origin_not_allowed"]);
      expect(await conversationOf(db, inbox.id, s.contact.id)).toBeUndefined();

      let i = 0;
      for (const origin of ["https://shop.example", TEST_ORIGIN, undefined]) {
        const sent = await send(t, s.token, { clientId: `ok-${i++}`, body: "Allowed" }, from(origin));
        expect({ origin, status: sent.res.status }).toEqual({ origin, status: 201 });
        expect((await fetchMessages(t, s.token, "", from(origin))).res.status).toBe(200);
      }
      const conversation = await conversationOf(db, inbox.id, s.contact.id);
      expect((await messageRows(db, conversation!.id)).map((r) => r.clientId)).toEqual(["ok-0", "ok-1", "ok-2"]);
    });

    test("an inbox without allowed origins can be embedded anywhere", async () => {
      const inbox = await insertInbox(db);
      const { res } = await session(t, { inbox: inbox.publicKey }, { origin: "https://any-site.example" });
      expect(res.status).toBe(200);
    });
  });

  describe("authorization", () => {
    /** Visitor A with a queued conversation, visitor B with their own. */
    async function twoVisitors() {
      const inbox = await insertInbox(db, { handoffMode: "immediate" });
      const a = await okSession(t, { inbox: inbox.publicKey });
      const b = await okSession(t, { inbox: inbox.publicKey });
      const aMessage = (await send(t, a.token, { clientId: "a-secret", body: "A's secret" })).data.message as Json;
      const bMessage = (await send(t, b.token, { clientId: "b-own", body: "B's own" })).data.message as Json;
      const aConversation = (await conversationOf(db, inbox.id, a.contact.id))!;
      const bConversation = (await conversationOf(db, inbox.id, b.contact.id))!;
      expect(aConversation.id).not.toBe(bConversation.id);
      return { inbox, a, b, aMessage, bMessage, aConversation, bConversation };
    }

    test("visitor B never reads A's conversation, whatever ids they add", async () => {
      const { a, b, aMessage, bMessage, aConversation } = await twoVisitors();
      const queries = [
        `?conversation=${aConversation.id}`,
        `?conversationId=${aConversation.id}`,
        `?after=0&conversation=${aConversation.id}`,
        `?after=0&conversationId=${aConversation.id}&contactId=${a.contact.id}`,
        `?contact=${a.contact.id}&inbox=${aConversation.inboxId}`,
      ];
      for (const query of queries) {
        const { res, data } = await fetchMessages(t, b.token, query);
        const text = JSON.stringify(data);
        expect({ query, status: res.status }).toEqual({ query, status: 200 });
        expect({ query, leaks: text.includes(aMessage.id) || text.includes("A's secret") || text.includes(aConversation.id) }).toEqual({ query, leaks: false });
        expect(data.messages.map((m: Json) => m.id)).toEqual([bMessage.id]);
      }
      // An id where a seq belongs is refused, not interpreted.
      const { res, data } = await fetchMessages(t, b.token, `?after=${aConversation.id}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(data)).not.toContain("A's secret");
    });

    test("visitor B never writes to A's conversation, whatever ids they add", async () => {
      const { inbox, a, b, aConversation, bConversation } = await twoVisitors();
      const before = await snapshot(db, aConversation.id);
      const post = await send(t, b.token, {
        clientId: "b-2",
        body: "Injected?",
        conversation: aConversation.id,
        conversationId: aConversation.id,
        contactId: a.contact.id,
        inbox: inbox.publicKey,
      });
      expect(post.res.status).toBe(201);
      const [row] = await db.select().from(messages).where(eq(messages.id, post.data.message.id));
      expect(row!.conversationId).toBe(bConversation.id);
      const hand = await handoff(t, b.token, { conversation: aConversation.id, conversationId: aConversation.id });
      expect(hand.res.status).toBe(200);
      expect(hand.data.conversation.id).toBe(bConversation.id);
      // B's session, asked for with A's ids in it, stays B's.
      const again = await session(t, { inbox: inbox.publicKey, token: b.token, conversation: aConversation.id, contactId: a.contact.id });
      expect(again.res.status).toBe(200);
      expect(again.data.contact.id).toBe(b.contact.id);
      expect(again.data.conversation.id).toBe(bConversation.id);
      expect(JSON.stringify(again.data)).not.toContain("A's secret");
      expect(await snapshot(db, aConversation.id)).toEqual(before);
    });

    test("a visitor token opens none of the agents' endpoints and changes nothing", async () => {
      const { a, aConversation } = await twoVisitors();
      const before = await snapshot(db, aConversation.id);
      const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
      const credentials = [bearer(a.token), { cookie: `sd_session=${a.token}` }, bearer(a.token, { origin: TEST_ORIGIN })];
      const requests: [string, RequestInit][] = [
        ["/inbox", {}],
        ["/inbox/list?tab=open", {}],
        ["/inbox/list?tab=queue", {}],
        [`/inbox/c/${aConversation.id}`, {}],
        [`/inbox/c/${aConversation.id}/claim`, { method: "POST" }],
        [`/inbox/c/${aConversation.id}/close`, { method: "POST" }],
        [`/inbox/c/${aConversation.id}/messages`, { method: "POST", body: form({ body: "Agent reply?", clientId: "fake-agent" }) }],
      ];
      for (const headers of credentials) {
        for (const [path, init] of requests) {
          const res = await t.request(path, {
            ...init,
            headers: { ...(init.body ? { "content-type": "application/x-www-form-urlencoded" } : {}), ...headers },
            redirect: "manual",
          });
          const body = await res.text();
          const redirectedToLogin = res.status >= 300 && res.status < 400 && (res.headers.get("location") ?? "").startsWith("/login");
          const refused = res.status >= 400 && res.status < 500;
          expect({ path, headers: Object.keys(headers), ok: redirectedToLogin || refused }).toEqual({ path, headers: Object.keys(headers), ok: true });
          expect(body).not.toContain("A's secret");
        }
      }
      expect(await snapshot(db, aConversation.id)).toEqual(before);
    });
  });

  test("CORS preflight from another origin answers 204 with that origin and the allowed headers", async () => {
    const res = await t.request("/api/v1/widget/session", {
      method: "OPTIONS",
      headers: {
        origin: "https://customer-site.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, authorization",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://customer-site.example");
    const allowHeaders = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    expect(allowHeaders).toContain("authorization");
    expect(allowHeaders).toContain("content-type");
    expect(res.headers.get("access-control-allow-methods") ?? "").toContain("POST");
    // The actual cross-origin response carries the header as well, so the browser lets the page read it.
    const inbox = await insertInbox(db);
    const { res: actual } = await session(t, { inbox: inbox.publicKey }, { origin: "https://customer-site.example" });
    expect(actual.status).toBe(200);
    expect(actual.headers.get("access-control-allow-origin")).toBe("https://customer-site.example");
  });
});

// --- the bot and the handoff --------------------------------------------------------------------------

describe(`widget HTTP API: bot and handoff (${mode})`, () => {
  let t: TestApp;
  let db: Db;
  let defaultKey: string;

  beforeAll(async () => {
    t = await createTestApp({ env: appEnv });
    db = t.database.db;
    await ensureDefaultInbox(db);
    const [inbox] = await db.select().from(inboxes);
    defaultKey = inbox!.publicKey;
  });
  afterAll(() => t.close());

  test("the default inbox answers a first message with its greeting, the message, then the fallback", async () => {
    const [inbox] = await db.select().from(inboxes).where(eq(inboxes.publicKey, defaultKey));
    const s = await okSession(t, { inbox: defaultKey });
    expect(s.inbox.handoffMode).toBe("bot");
    const sent = await send(t, s.token, { clientId: "hello", body: "Hello, is anyone there?" });
    expect(sent.res.status).toBe(201);

    const { data } = await fetchMessages(t, s.token);
    expect(data.conversation.status).toBe("bot");
    expect(data.messages.map((m: Json) => [m.seq, m.sender, m.body])).toEqual([
      [1, "bot", inbox!.greeting],
      [2, "customer", "Hello, is anyone there?"],
      [3, "bot", botFallback("en")],
    ]);
    expect(data.messages[1].id).toBe(sent.data.message.id);
    expect(sent.data.message.seq).toBe(2);
    expect(data.lastSeq).toBe(3);
    // The bot's messages carry no clientId.
    expect(data.messages[0].clientId).toBeUndefined();
  });

  test("the fallback is said once, not after every message", async () => {
    const s = await okSession(t, { inbox: defaultKey });
    await send(t, s.token, { clientId: "q1", body: "First question" });
    await send(t, s.token, { clientId: "q2", body: "Second question" });
    const { data } = await fetchMessages(t, s.token);
    expect(data.messages.filter((m: Json) => m.body === botFallback("en"))).toHaveLength(1);
    expect(data.messages.at(-1).body).toBe("Second question");
  });

  test("an FAQ entry whose keyword the customer uses is the bot's answer", async () => {
    const inbox = await insertInbox(db, { faq: [{ keywords: ["refund"], answer: "Refunds take 5 days." }] });
    const s = await okSession(t, { inbox: inbox.publicKey });
    await send(t, s.token, { clientId: "r", body: "how do I get a refund?" });
    const { data } = await fetchMessages(t, s.token);
    expect(data.messages.map((m: Json) => [m.sender, m.body])).toEqual([
      ["bot", inbox.greeting],
      ["customer", "how do I get a refund?"],
      ["bot", "Refunds take 5 days."],
    ]);
  });

  test("POST /handoff moves a bot conversation into the queue, first in line", async () => {
    const s = await okSession(t, { inbox: defaultKey });
    await send(t, s.token, { clientId: "h", body: "I need help" });
    const [otherQueued] = await db.select({ n: count() }).from(conversations).where(eq(conversations.status, "queued"));
    expect(otherQueued!.n).toBe(0);

    const { res, data } = await handoff(t, s.token);
    expect(res.status).toBe(200);
    expect(data.conversation).toMatchObject({ status: "queued", queuePosition: 1, agent: null });
    const stored = await conversationOf(db, (await db.select().from(inboxes).where(eq(inboxes.publicKey, defaultKey)))[0]!.id, s.contact.id);
    expect(stored!.status).toBe("queued");
    expect(stored!.queuedAt).not.toBeNull();
    // Asking again changes nothing.
    const again = await handoff(t, s.token);
    expect(again.data.conversation).toMatchObject({ id: data.conversation.id, status: "queued", queuePosition: 1 });
    // The session shows it too.
    expect((await okSession(t, { inbox: defaultKey, token: s.token })).conversation).toMatchObject({ status: "queued", queuePosition: 1 });
  });

  test("a handoff before any message starts a queued conversation without the bot", async () => {
    const s = await okSession(t, { inbox: defaultKey });
    const { res, data } = await handoff(t, s.token);
    expect(res.status).toBe(200);
    expect(data.conversation.status).toBe("queued");
    const [queued] = await db.select({ n: count() }).from(conversations).where(eq(conversations.status, "queued"));
    expect(data.conversation.queuePosition).toBe(queued!.n);
    expect((await fetchMessages(t, s.token)).data.messages).toEqual([]);
  });

  test("an inbox in immediate mode queues the first message at once, without bot messages", async () => {
    const inbox = await insertInbox(db, { handoffMode: "immediate" });
    const s = await okSession(t, { inbox: inbox.publicKey });
    expect(s.inbox.handoffMode).toBe("immediate");
    await send(t, s.token, { clientId: "now", body: "A human please" });
    const { data } = await fetchMessages(t, s.token);
    expect(data.conversation.status).toBe("queued");
    const [queued] = await db.select({ n: count() }).from(conversations).where(eq(conversations.status, "queued"));
    expect(data.conversation.queuePosition).toBe(queued!.n);
    expect(data.messages.map((m: Json) => [m.seq, m.sender, m.body])).toEqual([[1, "customer", "A human please"]]);
  });

  // --- the customer's language ---

  const defaultInboxId = async () => (await db.select().from(inboxes).where(eq(inboxes.publicKey, defaultKey)))[0]!.id;
  const contactLocale = async (id: string) => (await db.select({ locale: contacts.locale }).from(contacts).where(eq(contacts.id, id)))[0]?.locale;
  /** What the bot said, in order (the greeting first). */
  const botSaid = async (token: string) => (await fetchMessages(t, token)).data.messages.filter((m: Json) => m.sender === "bot").map((m: Json) => m.body);
  const GERMAN_FALLBACK = "Darauf habe ich noch keine Antwort. Wählen Sie \u201eMit einem Menschen sprechen\u201c, dann antwortet Ihnen hier jemand aus dem Team.";
  const ENGLISH_FALLBACK = "I don't have an answer to that yet. Choose \u201cTalk to a human\u201d and someone from the team will reply here.";

  test("the fallback comes from the catalogs and names the handoff button by its label in that language", () => {
    expect(botFallback("en")).toBe(ENGLISH_FALLBACK);
    expect(botFallback("de")).toBe(GERMAN_FALLBACK);
    for (const locale of ["en", "de"] as const) expect(botFallback(locale)).toContain(catalogs[locale].handoff);
  });

  test("a German session (de-AT) gets the fallback in German, and the contact is stored with locale de", async () => {
    const s = await okSession(t, { inbox: defaultKey, locale: "de-AT" });
    expect(await contactLocale(s.contact.id)).toBeUndefined();
    expect((await send(t, s.token, { clientId: "de-1", body: "Wo ist mein Paket?" })).res.status).toBe(201);
    const said = await botSaid(s.token);
    expect(said.at(-1)).toBe(GERMAN_FALLBACK);
    expect(said).not.toContain(ENGLISH_FALLBACK);
    expect(await contactLocale(s.contact.id)).toBe("de");
  });

  test("an English, unsupported or absent locale gets the English fallback", async () => {
    for (const locale of ["en-GB", "fr-FR", "", undefined]) {
      const s = await okSession(t, { inbox: defaultKey, ...(locale === undefined ? {} : { locale }) });
      await send(t, s.token, { clientId: "en-1", body: "Where is my parcel?" });
      expect({ locale, said: (await botSaid(s.token)).at(-1) }).toEqual({ locale, said: ENGLISH_FALLBACK });
      expect({ locale, stored: await contactLocale(s.contact.id) }).toEqual({ locale, stored: "en" });
    }
  });

  test("a locale longer than 35 characters answers 400 bad_request", async () => {
    const { res, data } = await session(t, { inbox: defaultKey, locale: "x".repeat(36) });
    expect([res.status, data.error?.code]).toEqual([400, "bad_request"]);
    expect((await session(t, { inbox: defaultKey, locale: "x".repeat(35) })).res.status).toBe(200);
  });

  test("a later session with the same token but no locale stays German; naming English switches, and the fallback is still said once in a row", async () => {
    const first = await okSession(t, { inbox: defaultKey, locale: "de" });
    const again = await okSession(t, { inbox: defaultKey, token: first.token });
    expect(again.contact.id).toBe(first.contact.id);
    expect(verifyVisitorToken(t.ctx.sessionSecret, again.token)?.locale).toBe("de");
    await send(t, again.token, { clientId: "k-1", body: "Erste Frage" });
    expect((await botSaid(again.token)).at(-1)).toBe(GERMAN_FALLBACK);

    // The visitor switches the page to English: the German fallback just said still counts.
    const english = await okSession(t, { inbox: defaultKey, token: again.token, locale: "en" });
    await send(t, english.token, { clientId: "k-2", body: "Second question" });
    const { data } = await fetchMessages(t, english.token);
    expect(data.messages.at(-1).body).toBe("Second question");
    expect(data.messages.filter((m: Json) => m.body === GERMAN_FALLBACK || m.body === ENGLISH_FALLBACK)).toHaveLength(1);
    // The contact keeps the language it was created with.
    expect(await contactLocale(first.contact.id)).toBe("de");
  });

  test("a token issued before the locale claim (no l) still works, in English, and a session can make it German", async () => {
    const s = await okSession(t, { inbox: defaultKey, locale: "de" });
    const old = signVisitorToken(t.ctx.sessionSecret, { inboxId: await defaultInboxId(), contactId: s.contact.id });
    expect(JSON.parse(Buffer.from(old.split(".")[1]!, "base64url").toString())).not.toHaveProperty("l");
    const sent = await send(t, old, { clientId: "old-1", body: "Anything there?" });
    expect(sent.res.status).toBe(201);
    expect((await botSaid(old)).at(-1)).toBe(ENGLISH_FALLBACK);
    expect(await contactLocale(s.contact.id)).toBe("en");

    // The same visitor comes back: without a locale they stay English, with one they get German.
    const renewed = await okSession(t, { inbox: defaultKey, token: old });
    expect(renewed.contact.id).toBe(s.contact.id);
    expect(verifyVisitorToken(t.ctx.sessionSecret, renewed.token)?.locale).toBe("en");
    const german = await okSession(t, { inbox: defaultKey, token: old, locale: "de-CH" });
    expect(german.contact.id).toBe(s.contact.id);
    expect(verifyVisitorToken(t.ctx.sessionSecret, german.token)?.locale).toBe("de");
  });

  test("a handoff stores the visitor's language on the contact it creates", async () => {
    const s = await okSession(t, { inbox: defaultKey, locale: "de-DE" });
    expect((await handoff(t, s.token)).res.status).toBe(200);
    expect(await contactLocale(s.contact.id)).toBe("de");
  });

  test("a verified user's language is stored with the session, and kept by sessions that name none", async () => {
    const inbox = await insertInbox(db);
    const user = { id: "user-de", hash: identityHash(inbox.identitySecret, "user-de") };
    const first = await okSession(t, { inbox: inbox.publicKey, user, locale: "de-AT" });
    expect(await contactLocale(first.contact.id)).toBe("de");
    await okSession(t, { inbox: inbox.publicKey, user });
    expect(await contactLocale(first.contact.id)).toBe("de");
    await okSession(t, { inbox: inbox.publicKey, user, locale: "en-US" });
    expect(await contactLocale(first.contact.id)).toBe("en");

    // An anonymous visitor who wrote in German and then signs in: their row becomes the user's and keeps "de".
    const visitor = await okSession(t, { inbox: inbox.publicKey, locale: "de" });
    await send(t, visitor.token, { clientId: "a-1", body: "Hallo" });
    const other = { id: "user-new", hash: identityHash(inbox.identitySecret, "user-new") };
    const signedIn = await okSession(t, { inbox: inbox.publicKey, token: visitor.token, user: other });
    expect(signedIn.contact.id).toBe(visitor.contact.id);
    expect(await contactLocale(visitor.contact.id)).toBe("de");
  });
});

describe("the visitor token's locale claim", () => {
  const secret = "visitor-token-test-secret-0123456789";
  const claims = { inboxId: crypto.randomUUID(), contactId: crypto.randomUUID() };
  const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Json;

  test("a signed locale comes back from verify, as the claim l", () => {
    const token = signVisitorToken(secret, { ...claims, locale: "de" });
    expect(payloadOf(token).l).toBe("de");
    expect(verifyVisitorToken(secret, token)).toMatchObject({ ...claims, locale: "de" });
  });

  test("a token without l still verifies, with locale en", () => {
    const token = signVisitorToken(secret, claims);
    expect(payloadOf(token)).not.toHaveProperty("l");
    expect(verifyVisitorToken(secret, token)).toMatchObject({ ...claims, locale: "en" });
  });

  test("a genuine token with an unknown or malformed l verifies, with locale en", () => {
    for (const l of ["fr", "de-AT", "DE", 7, null]) {
      const payload = Buffer.from(JSON.stringify({ i: claims.inboxId, c: claims.contactId, l, x: Date.now() + 60_000 })).toString("base64url");
      const token = `v1.${payload}.${hmacHex(secret, `visitor-token.v1.${payload}`)}`;
      expect({ l, claims: verifyVisitorToken(secret, token) }).toEqual({ l, claims: { ...claims, locale: "en", expiresAt: expect.any(Number) } });
    }
  });
});

// --- rate limits --------------------------------------------------------------------------------------

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
