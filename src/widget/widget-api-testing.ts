// What the widget HTTP API's tests (widget-api-*.test.ts) share: the storage lane they run on,
// an inbox to test against, and the API's calls as a client makes them.
import { expect } from "bun:test";
import { and, count, eq } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { contacts, conversationEvents, conversations, inboxes, messages } from "../db/schema/index.ts";
import type { TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

export const redisUrl = process.env.TEST_REDIS_URL?.trim() || null;
export const mode = redisUrl ? `${storageMode} + redis` : storageMode;
/** With TEST_REDIS_URL the app publishes through Redis, as a multi-instance deployment does. */
export const appEnv: Record<string, string> = redisUrl ? { REDIS_URL: redisUrl, SESSION_SECRET: "widget-api-test-secret-0123456789abcdef" } : {};

export const DAY_MS = 24 * 60 * 60 * 1000;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type Json = Record<string, any>;

let inboxCounter = 0;

/** An inbox row with the settings a test needs; the identity secret is returned for hashing. */
export async function insertInbox(db: Db, values: Partial<typeof inboxes.$inferInsert> = {}) {
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

export function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

export const bearer = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });

export async function call(t: TestApp, path: string, init?: RequestInit): Promise<{ res: Response; data: Json }> {
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

export const session = (t: TestApp, body: unknown, headers: Record<string, string> = {}) => call(t, "/api/v1/widget/session", postJson(body, headers));

/** A session that must succeed; its response body. */
export async function okSession(t: TestApp, body: unknown, headers: Record<string, string> = {}): Promise<Json> {
  const { res, data } = await session(t, body, headers);
  expect(res.status).toBe(200);
  return data;
}

export const send = (t: TestApp, token: string, body: unknown, headers: Record<string, string> = {}) =>
  call(t, "/api/v1/widget/messages", postJson(body, bearer(token, headers)));

export const fetchMessages = (t: TestApp, token: string, query = "", headers: Record<string, string> = {}) =>
  call(t, `/api/v1/widget/messages${query}`, { headers: bearer(token, headers) });

export const handoff = (t: TestApp, token: string, body?: unknown) =>
  call(t, "/api/v1/widget/handoff", body === undefined ? { method: "POST", headers: bearer(token) } : postJson(body, bearer(token)));

export async function countContacts(db: Db, inboxId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(contacts).where(eq(contacts.inboxId, inboxId));
  return row!.n;
}

export async function messageRows(db: Db, conversationId: string) {
  return db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.seq);
}

export async function conversationOf(db: Db, inboxId: string, contactId: string) {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.inboxId, inboxId), eq(conversations.contactId, contactId)));
  return row;
}

/** Everything stored about one conversation, to prove that a request changed nothing. */
export async function snapshot(db: Db, conversationId: string) {
  const [conversation] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
  const events = await db.select().from(conversationEvents).where(eq(conversationEvents.conversationId, conversationId));
  return { conversation, messages: await messageRows(db, conversationId), events: events.map((e) => e.id).sort() };
}

/** Changes one character of `s` at `index` into another character of the same alphabet. */
export function flipChar(s: string, index: number, alphabet: string): string {
  const current = s[index]!;
  const replacement = alphabet[(alphabet.indexOf(current) + 1) % alphabet.length]!;
  return s.slice(0, index) + replacement + s.slice(index + 1);
}
