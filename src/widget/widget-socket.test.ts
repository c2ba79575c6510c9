import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { conversations, inboxes, messages } from "../db/schema/index.ts";
import { DEFAULT_RATE_LIMITS } from "../limits/rate-limits.ts";
import { memoryRateLimits } from "../testing/limits.ts";
import { appendMessage } from "../testing/append-message.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { signedInAdmin } from "../testing/fixtures.ts";
import { storageMode } from "../testing/test-database.ts";
import { readyWidgetSocket, requestSession, wsUrl as wsUrlOf } from "../testing/widget-client.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

describe(`the widget socket (${storageMode})`, () => {
  let t: TestApp;
  let base: string;
  let cookie: string;
  let publicKey: string;
  let immediateKey: string;
  const open: TestSocket[] = [];

  beforeAll(async () => {
    // Tight message limits so the limit test is quick; everything else stays under them.
    t = await createTestApp({
      limits: memoryRateLimits({
        ...DEFAULT_RATE_LIMITS,
        message: { perContact: { points: 8, seconds: 60 }, perIp: { points: 1000, seconds: 60 } },
        conversation: { perContact: { points: 2, seconds: 3600 }, perIp: { points: 1000, seconds: 3600 } },
      }),
    });
    base = t.listen();
    cookie = await signedInAdmin(t);
    const [bot] = await t.database.db.insert(inboxes).values({ name: "Shop", publicKey: "pk_socket_bot", identitySecret: "s", allowedOrigins: ["https://shop.example"] }).returning();
    const [immediate] = await t.database.db.insert(inboxes).values({ name: "Help", publicKey: "pk_socket_now", identitySecret: "s", handoffMode: "immediate" }).returning();
    publicKey = bot!.publicKey;
    immediateKey = immediate!.publicKey;
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t.close();
  });

  const wsUrl = (path: string) => wsUrlOf(base, path);

  async function session(inbox = publicKey) {
    const res = await requestSession(base, { inbox });
    expect(res.status).toBe(200);
    return (await res.json()) as { token: string; contact: { id: string } };
  }

  /** A customer's socket, authenticated and ready. */
  async function customer(inbox = publicKey, origin = "https://shop.example") {
    const { token, contact } = await session(inbox);
    const { ws, ready } = await readyWidgetSocket(base, token, origin, open);
    return { ws, token, contactId: contact.id, ready };
  }

  async function agentSocket() {
    const ws = await openSocket(wsUrl("/ws/inbox"), { cookie, origin: TEST_ORIGIN });
    open.push(ws);
    await ws.waitFor((f) => f.includes("live-status"));
    return ws;
  }

  /** The customer's first message, and the conversation it started. */
  async function start(c: Awaited<ReturnType<typeof customer>>, body = "Hello") {
    c.ws.send({ type: "send", clientId: crypto.randomUUID(), body });
    const status = await c.ws.waitForJson((f) => f.type === "status" && typeof f.conversation === "string");
    return status.conversation as string;
  }

  test("the first frame must authenticate: anything else, or a forged token, closes the socket with 1008", async () => {
    const early = await openSocket(wsUrl("/ws/widget"), { origin: "https://shop.example" });
    early.send({ type: "send", clientId: "x", body: "sneaky" });
    expect((await early.waitForJson((f) => f.type === "error")).code).toBe("unauthorized");
    expect((await early.closed).code).toBe(1008);

    const { token } = await session();
    const forged = await openSocket(wsUrl("/ws/widget"), { origin: "https://shop.example" });
    forged.send({ type: "auth", token: token.slice(0, -2) + (token.endsWith("a") ? "bb" : "aa") });
    expect((await forged.waitForJson((f) => f.type === "error")).code).toBe("unauthorized");
    expect((await forged.closed).code).toBe(1008);
    expect(await t.database.db.select().from(messages).where(eq(messages.body, "sneaky"))).toEqual([]);
  });

  test("a page on an origin the inbox does not allow cannot use a visitor's token; the widget's own origin always can", async () => {
    const { token } = await session();
    const evil = await openSocket(wsUrl("/ws/widget"), { origin: "https://evil.example" });
    evil.send({ type: "auth", token });
    expect((await evil.waitForJson((f) => f.type === "error")).code).toBe("origin_not_allowed");
    expect((await evil.closed).code).toBe(1008);
    const iframe = await customer(publicKey, TEST_ORIGIN);
    expect(iframe.ready).toMatchObject({ type: "ready", conversation: null, lastSeq: 0 });
  });

  test("send is acknowledged after the commit with the stored message; agents following the conversation see it", async () => {
    const c = await customer();
    const conversationId = await start(c, "Where is my order?");
    const agent = await agentSocket();
    agent.send({ type: "view", conversation: conversationId });
    await Bun.sleep(100);
    c.ws.send({ type: "send", clientId: "order-2", body: "It's #1234 <b>urgent</b>" });
    const ack = await c.ws.waitForJson((f) => f.type === "ack" && f.clientId === "order-2");
    const [row] = await t.database.db.select().from(messages).where(eq(messages.id, ack.message.id));
    expect(row).toMatchObject({ body: "It's #1234 <b>urgent</b>", seq: ack.message.seq, sender: "customer" });
    const pushed = await agent.waitFor((f) => f.includes(`msg-${ack.message.id}`));
    expect(pushed).toContain("#1234 &lt;b&gt;urgent&lt;/b&gt;");
    expect(pushed).not.toContain("<b>");
    // A retry (the ack was lost on the way) gets the same message back and stores nothing new.
    c.ws.send({ type: "send", clientId: "order-2", body: "It's #1234 <b>urgent</b>" });
    const frames = c.ws.frames.length;
    const again = await c.ws.waitFor((f) => f.includes('"type":"ack"') && f.includes("order-2"), 5000, frames);
    expect(JSON.parse(again).message.id).toBe(ack.message.id);
    expect(await t.database.db.select().from(messages).where(eq(messages.clientId, "order-2"))).toHaveLength(1);
  });

  test("when the commit fails the customer gets an error for that message and no ack; the retry then succeeds", async () => {
    const c = await customer();
    await start(c);
    // A trigger makes the insert fail inside the transaction, as a full disk or a lost connection would.
    await t.database.db.execute(sql.raw(`
      create or replace function fail_marked_messages() returns trigger as $$
      begin if new.body = 'doomed' then raise exception 'simulated failure'; end if; return new; end $$ language plpgsql`));
    await t.database.db.execute(sql.raw("create trigger fail_marked before insert on messages for each row execute function fail_marked_messages()"));
    try {
      c.ws.send({ type: "send", clientId: "doomed-1", body: "doomed" });
      const error = await c.ws.waitForJson((f) => f.type === "error" && f.clientId === "doomed-1");
      expect(error.code).toBe("server_error");
      await Bun.sleep(100);
      expect(c.ws.json().some((f) => f.type === "ack" && f.clientId === "doomed-1")).toBe(false);
      expect(await t.database.db.select().from(messages).where(eq(messages.clientId, "doomed-1"))).toEqual([]);
    } finally {
      await t.database.db.execute(sql.raw("drop trigger fail_marked on messages"));
    }
    c.ws.send({ type: "send", clientId: "doomed-1", body: "doomed" });
    const ack = await c.ws.waitForJson((f) => f.type === "ack" && f.clientId === "doomed-1");
    // No seq was lost to the failed attempt.
    const [conversation] = await t.database.db.select().from(conversations).where(eq(conversations.contactId, c.contactId));
    expect(ack.message.seq).toBe(conversation!.lastSeq);
    const seqs = (await t.database.db.select().from(messages).where(eq(messages.conversationId, conversation!.id))).map((m) => m.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  test("typing, read receipts and status changes travel between customer and agent", async () => {
    const c = await customer(immediateKey);
    const conversationId = await start(c, "Hi");
    const agent = await agentSocket();
    agent.send({ type: "view", conversation: conversationId });
    await Bun.sleep(100);

    c.ws.send({ type: "typing", on: true });
    expect(await agent.waitFor((f) => f.includes(`id="typing-${conversationId}"`))).toContain('data-on="true"');
    agent.send({ type: "typing", conversation: conversationId, on: true });
    await c.ws.waitForJson((f) => f.type === "typing" && f.on === true);

    const claimed = await t.post(`/inbox/c/${conversationId}/claim`, {}, { cookie });
    expect(claimed.status).toBe(200);
    expect(await c.ws.waitForJson((f) => f.type === "status" && f.status === "assigned")).toMatchObject({ agent: { name: "Ana" } });
    const reply = await t.post(`/inbox/c/${conversationId}/messages`, { body: "Hello, Ana here", clientId: "ana-1" }, { cookie });
    expect(reply.status).toBe(201);
    const message = await c.ws.waitForJson((f) => f.type === "message" && f.message.sender === "agent");
    expect(message.message).toMatchObject({ body: "Hello, Ana here", agentName: "Ana" });

    c.ws.send({ type: "read", seq: message.message.seq });
    expect(await agent.waitFor((f) => f.includes(`id="seen-${conversationId}"`))).toContain(`data-seq="${message.message.seq}"`);
    // The pane opened later shows it too: the push swaps into a receipt the pane always has.
    const pane = await (await t.request(`/inbox/c/${conversationId}`, { headers: { cookie } })).text();
    expect(pane).toContain(`<div id="seen-${conversationId}" class="seen" data-seq="${message.message.seq}">Seen</div>`);
    expect((await t.post(`/inbox/c/${conversationId}/viewed`, { seq: "1" }, { cookie })).status).toBe(204);
    await c.ws.waitForJson((f) => f.type === "read" && f.seq === 1);

    await t.post(`/inbox/c/${conversationId}/close`, {}, { cookie });
    await c.ws.waitForJson((f) => f.type === "status" && f.status === "closed");
  });

  test("handoff puts the customer in the queue and tells them their place", async () => {
    const c = await customer();
    await start(c, "hi bot");
    c.ws.send({ type: "handoff" });
    const status = await c.ws.waitForJson((f) => f.type === "status" && f.status === "queued");
    expect(status.queuePosition).toBeGreaterThanOrEqual(1);
  });

  test("resume returns exactly the messages after the last seq the customer saw", async () => {
    const c = await customer(immediateKey);
    const conversationId = await start(c, "m1");
    for (const body of ["m2", "m3", "m4"]) {
      c.ws.send({ type: "send", clientId: body, body });
      await c.ws.waitForJson((f) => f.type === "ack" && f.clientId === body);
    }
    c.ws.close();
    // Written while the customer was away.
    await appendMessage(t.database.db, { conversationId, clientId: "away-1", sender: "agent", body: "m5 while you were away" });

    const { ws: back, ready } = await readyWidgetSocket(base, c.token, "https://shop.example", open);
    expect(ready.lastSeq).toBe(5);
    back.send({ type: "resume", lastSeq: 2 });
    await back.waitForJson((f) => f.type === "message" && f.message.seq === 5);
    await Bun.sleep(100);
    expect(back.json().filter((f) => f.type === "message").map((f) => f.message.body)).toEqual(["m3", "m4", "m5 while you were away"]);
  });

  test("a message committed whose publish was lost reaches the customer and the agents within 5 s", async () => {
    const c = await customer(immediateKey);
    const conversationId = await start(c, "anyone?");
    const agent = await agentSocket();
    agent.send({ type: "view", conversation: conversationId });
    await Bun.sleep(100);
    // Stored the way a crashed instance leaves it: committed, never published.
    const { message } = await appendMessage(t.database.db, { conversationId, clientId: "orphan", sender: "agent", body: "committed, then the process died" });
    const started = Date.now();
    await c.ws.waitForJson((f) => f.type === "message" && f.message.id === message.id, 5000);
    await agent.waitFor((f) => f.includes(`msg-${message.id}`), 5000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("malformed and unknown frames get an error frame and the socket keeps working", async () => {
    const c = await customer();
    c.ws.sendRaw("this is not json");
    c.ws.sendRaw("[1,2,3]");
    c.ws.send({ type: "launch-missiles" });
    c.ws.send({ type: "send", clientId: 42, body: null });
    c.ws.send({ type: "read", seq: -1 });
    c.ws.send({ type: "send", clientId: "big", body: "x".repeat(5001) });
    await c.ws.waitForJson((f) => f.type === "error" && f.clientId === "big");
    const errors = c.ws.json().filter((f) => f.type === "error");
    expect(errors.map((e) => e.code)).toEqual(["bad_frame", "bad_frame", "bad_frame", "bad_frame", "bad_frame", "too_long"]);
    c.ws.send({ type: "send", clientId: "fine", body: "still here" });
    await c.ws.waitForJson((f) => f.type === "ack" && f.clientId === "fine");
  });

  test("a frame over 64 KiB closes the socket (1009) without reaching the database", async () => {
    const c = await customer();
    c.ws.send({ type: "send", clientId: "huge", body: "x".repeat(70 * 1024) });
    expect((await c.ws.closed).code).toBe(1009);
    expect(await t.database.db.select().from(messages).where(eq(messages.clientId, "huge"))).toEqual([]);
  });

  test("past the message limit the customer gets rate_limited with retryAfter, and nothing is stored", async () => {
    const c = await customer(immediateKey);
    for (let i = 0; i < 8; i++) c.ws.send({ type: "send", clientId: `burst-${i}`, body: `burst ${i}` });
    c.ws.send({ type: "send", clientId: "burst-8", body: "one too many" });
    const error = await c.ws.waitForJson((f) => f.type === "error" && f.clientId === "burst-8");
    expect(error.code).toBe("rate_limited");
    expect(error.retryAfter).toBeGreaterThanOrEqual(1);
    expect(error.retryAfter).toBeLessThanOrEqual(60);
    expect(await t.database.db.select().from(messages).where(eq(messages.clientId, "burst-8"))).toEqual([]);
    expect(c.ws.json().filter((f) => f.type === "ack")).toHaveLength(8);
  });

  test("a customer's socket only ever carries their own conversation, whatever ids they send", async () => {
    const a = await customer(immediateKey);
    const aConversation = await start(a, "secret of A");
    const b = await customer(immediateKey);
    await start(b, "B here");
    b.ws.send({ type: "resume", lastSeq: 0, conversation: aConversation });
    b.ws.send({ type: "read", seq: 1, conversation: aConversation });
    b.ws.send({ type: "send", clientId: "b-2", body: "to A?", conversation: aConversation });
    await b.ws.waitForJson((f) => f.type === "ack" && f.clientId === "b-2");
    await Bun.sleep(200);
    expect(b.ws.frames.join("")).not.toContain("secret of A");
    expect(await t.database.db.select().from(messages).where(eq(messages.conversationId, aConversation))).toHaveLength(1);
  });

  test("reopening a closed conversation counts as a new one: past the limit it stays closed and nothing is stored", async () => {
    const c = await customer(immediateKey);
    const conversationId = await start(c, "first");
    await t.post(`/inbox/c/${conversationId}/close`, {}, { cookie });
    c.ws.send({ type: "send", clientId: "reopen-1", body: "back again" });
    await c.ws.waitForJson((f) => f.type === "ack" && f.clientId === "reopen-1");
    await t.post(`/inbox/c/${conversationId}/close`, {}, { cookie });
    c.ws.send({ type: "send", clientId: "reopen-2", body: "and again" });
    const error = await c.ws.waitForJson((f) => f.type === "error" && f.clientId === "reopen-2");
    expect(error).toMatchObject({ code: "rate_limited" });
    expect(error.retryAfter).toBeGreaterThan(60);
    const [row] = await t.database.db.select().from(conversations).where(eq(conversations.id, conversationId));
    expect(row!.status).toBe("closed");
    expect(await t.database.db.select().from(messages).where(eq(messages.clientId, "reopen-2"))).toEqual([]);
  });
});
