// The customer's socket, frame by frame: authentication first, the origin, sends acknowledged after
// the commit, bad frames answered, and nothing of another customer's conversation.
import { describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { conversations, inboxes, messages } from "../db/schema/index.ts";
import { regenerateIdentitySecret } from "../inboxes/service.ts";
import { TEST_ORIGIN } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { openSocket } from "../testing/ws-client.ts";
import { busMode, widgetSocketFixture } from "./socket-test-fixture.ts";

describe(`the widget socket (${storageMode}, ${busMode})`, () => {
  const f = widgetSocketFixture();
  const { customer, agentSocket, start, session } = f;

  test("the first frame must authenticate: anything else, or a forged token, closes the socket with 1008", async () => {
    const early = await openSocket(f.wsUrl("/ws/widget"), { origin: "https://shop.example" });
    early.send({ type: "send", clientId: "x", body: "sneaky" });
    expect((await early.waitForJson((f) => f.type === "error")).code).toBe("unauthorized");
    expect((await early.closed).code).toBe(1008);

    const { token } = await session();
    const forged = await openSocket(f.wsUrl("/ws/widget"), { origin: "https://shop.example" });
    forged.send({ type: "auth", token: token.slice(0, -2) + (token.endsWith("a") ? "bb" : "aa") });
    expect((await forged.waitForJson((f) => f.type === "error")).code).toBe("unauthorized");
    expect((await forged.closed).code).toBe(1008);
    expect(await f.t.database.db.select().from(messages).where(eq(messages.body, "sneaky"))).toEqual([]);
  });

  test("a page on an origin the inbox does not allow cannot use a visitor's token; the widget's own origin always can", async () => {
    const { token } = await session();
    const evil = await openSocket(f.wsUrl("/ws/widget"), { origin: "https://evil.example" });
    evil.send({ type: "auth", token });
    expect((await evil.waitForJson((f) => f.type === "error")).code).toBe("origin_not_allowed");
    expect((await evil.closed).code).toBe(1008);
    const iframe = await customer(f.botKey, TEST_ORIGIN);
    expect(iframe.ready).toMatchObject({ type: "ready", conversation: null, lastSeq: 0 });
  });

  test("send is acknowledged after the commit with the stored message; agents following the conversation see it", async () => {
    const c = await customer();
    const conversationId = await start(c, "Where is my order?");
    const agent = await agentSocket();
    await f.view(agent, c, conversationId);
    c.ws.send({ type: "send", clientId: "order-2", body: "It's #1234 <b>urgent</b>" });
    const ack = await c.ws.waitForJson((f) => f.type === "ack" && f.clientId === "order-2");
    const [row] = await f.t.database.db.select().from(messages).where(eq(messages.id, ack.message.id));
    expect(row).toMatchObject({ body: "It's #1234 <b>urgent</b>", seq: ack.message.seq, sender: "customer" });
    const pushed = await agent.waitFor((f) => f.includes(`msg-${ack.message.id}`));
    expect(pushed).toContain("#1234 &lt;b&gt;urgent&lt;/b&gt;");
    expect(pushed).not.toContain("<b>");
    // A retry (the ack was lost on the way) gets the same message back and stores nothing new.
    c.ws.send({ type: "send", clientId: "order-2", body: "It's #1234 <b>urgent</b>" });
    const frames = c.ws.frames.length;
    const again = await c.ws.waitFor((f) => f.includes('"type":"ack"') && f.includes("order-2"), 5000, frames);
    expect(JSON.parse(again).message.id).toBe(ack.message.id);
    expect(await f.t.database.db.select().from(messages).where(eq(messages.clientId, "order-2"))).toHaveLength(1);
  });

  test("when the commit fails the customer gets an error for that message and no ack; the retry then succeeds", async () => {
    const c = await customer();
    await start(c);
    // A trigger makes the insert fail inside the transaction, as a full disk or a lost connection would.
    await f.t.database.db.execute(sql.raw(`
      create or replace function fail_marked_messages() returns trigger as $$
      begin if new.body = 'doomed' then raise exception 'simulated failure'; end if; return new; end $$ language plpgsql`));
    await f.t.database.db.execute(sql.raw("create trigger fail_marked before insert on messages for each row execute function fail_marked_messages()"));
    try {
      c.ws.send({ type: "send", clientId: "doomed-1", body: "doomed" });
      const error = await c.ws.waitForJson((f) => f.type === "error" && f.clientId === "doomed-1");
      expect(error.code).toBe("server_error");
      await f.settled(c.ws);
      expect(c.ws.json().some((f) => f.type === "ack" && f.clientId === "doomed-1")).toBe(false);
      expect(await f.t.database.db.select().from(messages).where(eq(messages.clientId, "doomed-1"))).toEqual([]);
    } finally {
      await f.t.database.db.execute(sql.raw("drop trigger fail_marked on messages"));
    }
    c.ws.send({ type: "send", clientId: "doomed-1", body: "doomed" });
    const ack = await c.ws.waitForJson((f) => f.type === "ack" && f.clientId === "doomed-1");
    // No seq was lost to the failed attempt.
    const [conversation] = await f.t.database.db.select().from(conversations).where(eq(conversations.contactId, c.contactId));
    expect(ack.message.seq).toBe(conversation!.lastSeq);
    const seqs = (await f.t.database.db.select().from(messages).where(eq(messages.conversationId, conversation!.id))).map((m) => m.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  test("a send that fails before the database stores anything (its inbox cannot be read) is refused with its clientId", async () => {
    const c = await customer();
    await start(c);
    const [inbox] = await f.t.database.db.select().from(inboxes).where(eq(inboxes.publicKey, f.botKey));
    await f.t.database.db.execute(sql.raw("alter table inboxes rename column greeting to greeting_gone"));
    try {
      // A write through the inbox service drops the inbox from this process's cache (whether or not it
      // succeeds): the next send reads it from the database, and that read fails.
      await regenerateIdentitySecret(f.t.database.db, inbox!.id).catch(() => {});
      c.ws.send({ type: "send", clientId: "lookup-1", body: "Anyone there?" });
      const error = await c.ws.waitForJson((f) => f.type === "error" && f.code === "server_error");
      expect(error.clientId).toBe("lookup-1");
    } finally {
      await f.t.database.db.execute(sql.raw("alter table inboxes rename column greeting_gone to greeting"));
    }
    // The widget resends it by that clientId, and it is stored.
    c.ws.send({ type: "send", clientId: "lookup-1", body: "Anyone there?" });
    await c.ws.waitForJson((f) => f.type === "ack" && f.clientId === "lookup-1");
  });

  test("malformed and unknown frames get an error frame and the socket keeps working", async () => {
    const c = await customer();
    c.ws.sendRaw("this is not json");
    c.ws.sendRaw("[1,2,3]");
    c.ws.send({ type: "launch-missiles" });
    c.ws.send({ type: "send", clientId: 42, body: null });
    c.ws.send({ type: "send", clientId: "no-body" });
    c.ws.send({ type: "read", seq: -1 });
    c.ws.send({ type: "send", clientId: "big", body: "x".repeat(5001) });
    await c.ws.waitForJson((f) => f.type === "error" && f.clientId === "big");
    const errors = c.ws.json().filter((f) => f.type === "error");
    expect(errors.map((e) => e.code)).toEqual(["bad_frame", "bad_frame", "bad_frame", "bad_frame", "bad_frame", "bad_frame", "too_long"]);
    // A refused send names its clientId when it had one.
    expect(errors.map((e) => e.clientId ?? null)).toEqual([null, null, null, null, "no-body", null, "big"]);
    c.ws.send({ type: "send", clientId: "fine", body: "still here" });
    await c.ws.waitForJson((f) => f.type === "ack" && f.clientId === "fine");
  });

  test("a frame over 64 KiB closes the socket (1009) without reaching the database", async () => {
    const c = await customer();
    c.ws.send({ type: "send", clientId: "huge", body: "x".repeat(70 * 1024) });
    expect((await c.ws.closed).code).toBe(1009);
    expect(await f.t.database.db.select().from(messages).where(eq(messages.clientId, "huge"))).toEqual([]);
  });

  test("a customer's socket only ever carries their own conversation, whatever ids they send", async () => {
    const a = await customer(f.immediateKey);
    const aConversation = await start(a, "secret of A");
    const b = await customer(f.immediateKey);
    await start(b, "B here");
    b.ws.send({ type: "resume", lastSeq: 0, conversation: aConversation });
    b.ws.send({ type: "read", seq: 1, conversation: aConversation });
    b.ws.send({ type: "send", clientId: "b-2", body: "to A?", conversation: aConversation });
    await b.ws.waitForJson((f) => f.type === "ack" && f.clientId === "b-2");
    // A writes again: once A's own socket has the push of it, the same publish reached every socket
    // on A's topic, and B's barrier then shows whether B's was one of them.
    a.ws.send({ type: "send", clientId: "a-2", body: "second secret of A" });
    await a.ws.waitForJson((f) => f.type === "message" && f.message.clientId === "a-2");
    await f.settled(b.ws);
    expect(b.ws.frames.join("")).not.toContain("secret of A");
    const inA = await f.t.database.db.select().from(messages).where(eq(messages.conversationId, aConversation));
    expect(inA.map((m) => m.body).sort()).toEqual(["second secret of A", "secret of A"]);
  });
});
