// The widget HTTP API: the bot's first answers, and the handoff to the queue.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, eq } from "drizzle-orm";
import { botFallback } from "../conversations/bot.ts";
import type { Db } from "../db/database.ts";
import { conversations, inboxes } from "../db/schema/index.ts";
import { ensureDefaultInbox } from "../inboxes/service.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { appEnv, conversationOf, fetchMessages, handoff, insertInbox, type Json, mode, okSession, send } from "./widget-api-testing.ts";

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
});
