// The widget's limits as the operator sets them (src/limits/settings.ts): each one refused past its
// configured value, over HTTP (429, Retry-After, the error body) and over the socket (a rate_limited
// frame, or a dropped typing/read frame), per visitor and per IP, IPv6 counted by /64.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { contacts, conversations, inboxes } from "../db/schema/index.ts";
import { signedInAdmin } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { wsUrl } from "../testing/widget-client.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

const redisUrl = process.env.TEST_REDIS_URL?.trim() || null;
const mode = redisUrl ? `${storageMode} + redis` : storageMode;

type Json = Record<string, any>;

/** Small budgets, so that each test reaches its own; each test's visitors come from addresses of their own. */
const LIMITS = {
  MESSAGES_PER_CONTACT_PER_MINUTE: "3",
  MESSAGES_PER_IP_PER_MINUTE: "5",
  CONVERSATIONS_PER_CONTACT_PER_12_HOURS: "1",
  SESSIONS_PER_IP_PER_MINUTE: "4",
  HISTORY_FETCHES_PER_CONTACT_PER_MINUTE: "3",
  HISTORY_FETCHES_PER_IP_PER_MINUTE: "5",
  READ_FRAMES_PER_CONTACT_PER_MINUTE: "2",
  TYPING_FRAMES_PER_CONTACT_PER_SECOND: "2",
  HANDOFFS_PER_CONTACT_PER_MINUTE: "2",
  HANDOFFS_PER_IP_PER_MINUTE: "3",
};

// Addresses no earlier run used: with Redis, budgets outlive a run for their window.
const run = crypto.getRandomValues(new Uint16Array(2));
let networks = 0;
/** A /64 of its own (four groups; append "::1" for an address in it). */
const network = () => `2001:db8:${run[0]!.toString(16)}:${(run[1]! + ++networks).toString(16)}`;
/** An IPv4 address of its own. */
const ipv4 = () => `10.${run[0]! & 0xff}.${run[1]! & 0xff}.${++networks % 256}`;

describe(`the widget's limits, as configured (${mode})`, () => {
  let t: TestApp;
  let db: Db;
  let base: string;
  let cookie: string;
  let publicKey: string;
  const open: TestSocket[] = [];

  beforeAll(async () => {
    const storage: Record<string, string> = redisUrl ? { REDIS_URL: redisUrl, SESSION_SECRET: "widget-limits-test-secret-0123456789abcdef" } : {};
    // Behind a proxy: each request says its client's address in X-Forwarded-For.
    t = await createTestApp({ env: { ...storage, TRUST_PROXY: "true", ...LIMITS } });
    db = t.database.db;
    base = t.listen();
    cookie = await signedInAdmin(t);
    const [inbox] = await db.insert(inboxes).values({ name: "Help", publicKey: `pk_limits_${crypto.randomUUID().slice(0, 8)}`, identitySecret: "s", handoffMode: "immediate" }).returning();
    publicKey = inbox!.publicKey;
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t.close();
  });

  async function call(path: string, ip: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<{ res: Response; data: Json }> {
    const headers: Record<string, string> = { "x-forwarded-for": ip };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const res = await t.request(path, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    return { res, data: (await res.json()) as Json };
  }

  /** A new visitor's session from `ip`. */
  async function visitor(ip: string): Promise<{ token: string; contactId: string; ip: string }> {
    const { res, data } = await call("/api/v1/widget/session", ip, { method: "POST", body: { inbox: publicKey } });
    expect(res.status).toBe(200);
    return { token: data.token, contactId: data.contact.id, ip };
  }

  type Visitor = Awaited<ReturnType<typeof visitor>>;
  const fetchMessages = (v: Visitor) => call("/api/v1/widget/messages", v.ip, { token: v.token });
  const sendMessage = (v: Visitor, clientId: string) => call("/api/v1/widget/messages", v.ip, { method: "POST", token: v.token, body: { clientId, body: clientId } });
  const handoff = (v: Visitor) => call("/api/v1/widget/handoff", v.ip, { method: "POST", token: v.token });
  const away = (v: Visitor, email: string) => call("/api/v1/widget/away", v.ip, { method: "POST", token: v.token, body: { email } });

  /** 429, a Retry-After in whole seconds within the window, and the same in the usual error body. */
  function expectRefused({ res, data }: { res: Response; data: Json }, windowSeconds = 60) {
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
    expect(data).toEqual({ error: { code: "rate_limited", message: expect.any(String), retryAfter } });
  }

  /** The visitor's widget socket, from the visitor's address, authenticated. */
  async function socketOf(v: Visitor) {
    const ws = await openSocket(wsUrl(base, "/ws/widget"), { origin: "https://shop.example", "x-forwarded-for": v.ip });
    open.push(ws);
    ws.send({ type: "auth", token: v.token });
    await ws.waitForJson((f) => f.type === "ready");
    return ws;
  }

  /** The visitor's conversation, started by a message over the socket; its id. */
  async function startOver(ws: TestSocket, clientId = "first") {
    ws.send({ type: "send", clientId, body: "Hello" });
    await ws.waitForJson((f) => f.type === "ack" && f.clientId === clientId);
    return (await ws.waitForJson((f) => f.type === "status" && typeof f.conversation === "string")).conversation as string;
  }

  // --- HTTP ------------------------------------------------------------------------------------------

  test("HISTORY_FETCHES_PER_CONTACT_PER_MINUTE=3: the fourth GET messages is refused", async () => {
    const v = await visitor(`${network()}::1`);
    for (let i = 0; i < 3; i++) expect((await fetchMessages(v)).res.status).toBe(200);
    expectRefused(await fetchMessages(v));
  });

  test("HISTORY_FETCHES_PER_IP_PER_MINUTE=5: two visitors in one /64 share it; a visitor in another /64 does not", async () => {
    const net = network();
    const [a, b] = [await visitor(`${net}::a`), await visitor(`${net}:ffff:ffff:ffff:b`)];
    for (let i = 0; i < 3; i++) expect((await fetchMessages(a)).res.status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await fetchMessages(b)).res.status).toBe(200);
    // b has fetched twice of its own 3: what refuses it is the /64's budget.
    expectRefused(await fetchMessages(b));
    expect((await fetchMessages(await visitor(`${network()}::a`))).res.status).toBe(200);
  });

  test("HANDOFFS_PER_CONTACT_PER_MINUTE=2: the third handoff is refused, and an away email then counts against the same budget and stores nothing", async () => {
    const v = await visitor(`${network()}::1`);
    expect((await handoff(v)).res.status).toBe(200);
    expect((await handoff(v)).res.status).toBe(200);
    expectRefused(await handoff(v));
    expectRefused(await away(v, "kim@example.com"));
    const [contact] = await db.select().from(contacts).where(eq(contacts.id, v.contactId));
    expect(contact!.email).toBeNull();
  });

  test("HANDOFFS_PER_IP_PER_MINUTE=3: away emails and handoffs of one /64 share it", async () => {
    const net = network();
    const [a, b] = [await visitor(`${net}::1`), await visitor(`${net}::2`)];
    expect((await away(a, "ann@example.com")).res.status).toBe(200);
    expect((await handoff(a)).res.status).toBe(200);
    expect((await handoff(b)).res.status).toBe(200);
    expectRefused(await away(b, "bob@example.com"));
    expect((await handoff(await visitor(`${network()}::2`))).res.status).toBe(200);
  });

  test("MESSAGES_PER_CONTACT_PER_MINUTE=3 and MESSAGES_PER_IP_PER_MINUTE=5 (per /64)", async () => {
    const net = network();
    const [a, b] = [await visitor(`${net}::1`), await visitor(`${net}::2`)];
    for (const id of ["a1", "a2", "a3"]) expect((await sendMessage(a, id)).res.status).toBeLessThan(300);
    expectRefused(await sendMessage(a, "a4"));
    for (const id of ["b1", "b2"]) expect((await sendMessage(b, id)).res.status).toBeLessThan(300);
    expectRefused(await sendMessage(b, "b3"));
    expect((await sendMessage(await visitor(`${network()}::2`), "c1")).res.status).toBe(201);
  });

  test("CONVERSATIONS_PER_CONTACT_PER_12_HOURS=1: reopening a closed conversation is refused with a wait of up to 12 hours", async () => {
    const v = await visitor(`${network()}::1`);
    expect((await sendMessage(v, "first")).res.status).toBe(201);
    await db.update(conversations).set({ status: "closed", closedAt: new Date() }).where(eq(conversations.contactId, v.contactId));
    expectRefused(await sendMessage(v, "again"), 12 * 60 * 60);
  });

  test("SESSIONS_PER_IP_PER_MINUTE=4: an IPv4 address and its IPv4-mapped form share it", async () => {
    const v4 = ipv4();
    for (const ip of [v4, `::ffff:${v4}`, v4, `::ffff:${v4}`]) await visitor(ip);
    expectRefused(await call("/api/v1/widget/session", v4, { method: "POST", body: { inbox: publicKey } }));
    expectRefused(await call("/api/v1/widget/session", `::ffff:${v4}`, { method: "POST", body: { inbox: publicKey } }));
  });

  // --- socket ----------------------------------------------------------------------------------------

  test("resume shares the history budget with GET messages: past it the socket answers rate_limited with retryAfter", async () => {
    const v = await visitor(`${network()}::1`);
    const ws = await socketOf(v);
    await startOver(ws);
    for (let i = 0; i < 2; i++) expect((await fetchMessages(v)).res.status).toBe(200);
    ws.send({ type: "resume", lastSeq: 0 });
    await ws.waitForJson((f) => f.type === "message" && f.message.clientId === "first");
    ws.send({ type: "resume", lastSeq: 0 });
    const refused = await ws.waitForJson((f) => f.type === "error");
    expect(refused).toEqual({ type: "error", code: "rate_limited", message: expect.any(String), retryAfter: expect.any(Number) });
    expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfter).toBeLessThanOrEqual(60);
    expectRefused(await fetchMessages(v));
  });

  test("a handoff frame past HANDOFFS_PER_CONTACT_PER_MINUTE is answered rate_limited", async () => {
    const v = await visitor(`${network()}::1`);
    const ws = await socketOf(v);
    for (let i = 0; i < 3; i++) ws.send({ type: "handoff" });
    const refused = await ws.waitForJson((f) => f.type === "error");
    expect(refused).toMatchObject({ code: "rate_limited", retryAfter: expect.any(Number) });
    // The first of them queued the conversation.
    expect((await db.select().from(conversations).where(eq(conversations.contactId, v.contactId)))[0]!.status).toBe("queued");
  });

  test("read frames past READ_FRAMES_PER_CONTACT_PER_MINUTE are dropped without an error", async () => {
    const v = await visitor(`${network()}::1`);
    const ws = await socketOf(v);
    const conversationId = await startOver(ws, "m1");
    for (const id of ["m2", "m3"]) {
      ws.send({ type: "send", clientId: id, body: id });
      await ws.waitForJson((f) => f.type === "ack" && f.clientId === id);
    }
    for (const seq of [1, 2, 3]) ws.send({ type: "read", seq });
    // Frames are handled in order: once this resume's replay arrives, the three reads were handled.
    ws.send({ type: "resume", lastSeq: 2 });
    await ws.waitFor((f) => f.includes('"seq":3') && f.includes('"type":"message"'), 5000, ws.frames.length);
    const [row] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
    expect(row!.customerReadSeq).toBe(2);
    expect(ws.json().filter((f) => f.type === "error")).toEqual([]);
  });

  test("typing frames past TYPING_FRAMES_PER_CONTACT_PER_SECOND are dropped without an error, but the stop that ends them reaches the agents", async () => {
    const v = await visitor(`${network()}::1`);
    const ws = await socketOf(v);
    const conversationId = await startOver(ws, "t1");
    const agent = await openSocket(wsUrl(base, "/ws/inbox"), { cookie, origin: TEST_ORIGIN });
    open.push(agent);
    await agent.waitFor((f) => f.includes("live-status"));
    // Following the conversation from seq 0: its first message comes back once the view is in place.
    agent.send({ type: "view", conversation: conversationId, after: 0 });
    await agent.waitFor((f) => f.includes('data-seq="1"'));

    for (let i = 0; i < 5; i++) ws.send({ type: "typing", on: true });
    ws.send({ type: "typing", on: false });
    ws.send({ type: "send", clientId: "t2", body: "after typing" });
    // The message is published after every typing push that went out: it marks the end.
    await agent.waitFor((f) => f.includes("after typing"));
    const typing = agent.frames.filter((f) => f.includes(`id="typing-${conversationId}"`)).map((f) => /data-on="(\w+)"/.exec(f)![1]);
    expect(typing).toEqual(["true", "true", "false"]);
    expect(ws.json().filter((f) => f.type === "error")).toEqual([]);
  });
});
