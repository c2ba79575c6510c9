// The customer's side of a conversation: the bot, one conversation per customer and inbox, the
// queue, a closed conversation reopened by a message, and a waiting conversation's messages.
import { beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversations, messages } from "../db/schema/index.ts";
import { topics } from "../realtime/topics.ts";
import { insertAgent } from "../testing/fixtures.ts";
import { storageMode, type TestDatabase } from "../testing/test-database.ts";
import { botFallback } from "./bot.ts";
import { lifecycleFixture, type RecordingBus } from "./lifecycle-fixture.ts";
import * as service from "./service.ts";

describe(`conversation lifecycle (${storageMode})`, () => {
  const fixture = lifecycleFixture();
  const { deps, inbox, contact, say, bodies, eventTypes } = fixture;
  let database: TestDatabase;
  let bus: RecordingBus;
  beforeAll(() => void ({ database } = fixture.state));
  beforeEach(() => void ({ bus } = fixture.state));

  test("in bot mode the first message starts the conversation with the greeting, and the bot answers from the FAQ", async () => {
    const shop = await inbox({ greeting: "Hello from Shop!", faq: [{ keywords: ["refund", "money back"], answer: "Refunds take 5 days." }] });
    const customer = contact();
    const first = await say(shop, customer, "Can I get my money back?");
    expect(first.conversation.status).toBe("bot");
    expect(await bodies(first.conversation.id)).toEqual(["1:bot:Hello from Shop!", "2:customer:Can I get my money back?", "3:bot:Refunds take 5 days."]);
    await say(shop, customer, "What colours do you have?");
    await say(shop, customer, "Hello?");
    // The fallback is said once, not after every unmatched message.
    expect((await bodies(first.conversation.id)).slice(3)).toEqual([`4:customer:What colours do you have?`, `5:bot:${botFallback("en")}`, "6:customer:Hello?"]);
    expect(await eventTypes(first.conversation.id)).toEqual(["created:customer"]);
    // The customer's side and the agents' list both heard about it.
    expect(bus.on(topics.conversation(first.conversation.id)).some((f) => f.includes("Refunds take 5 days."))).toBe(true);
    expect(bus.on(topics.visitor(customer))[0]).toContain(`"conversation":"${first.conversation.id}"`);
    expect(bus.on(topics.inbox()).at(-1)).toContain(`conv-row-${first.conversation.id}`);
  });

  test("the bot's fallback is in the customer's locale, and said once in a row whatever the language", async () => {
    const shop = await inbox({ greeting: "Hallo!" });
    const customer = contact();
    const first = await service.customerSends(deps(), { inbox: shop, contactId: customer, clientId: "de-1", body: "Gibt es das in Blau?", locale: "de" });
    await service.customerSends(deps(), { inbox: shop, contactId: customer, clientId: "en-1", body: "In blue?" });
    expect(await bodies(first.conversation.id)).toEqual(["1:bot:Hallo!", "2:customer:Gibt es das in Blau?", `3:bot:${botFallback("de")}`, "4:customer:In blue?"]);
    // Without a locale the bot speaks English.
    const other = await say(shop, contact(), "Anyone?");
    expect((await bodies(other.conversation.id)).at(-1)).toBe(`3:bot:${botFallback("en")}`);
  });

  test("one conversation per customer and inbox, even when two tabs write the first message at once", async () => {
    const shop = await inbox();
    const customer = contact();
    const [a, b] = await Promise.all([say(shop, customer, "from tab one"), say(shop, customer, "from tab two")]);
    expect(a.conversation.id).toBe(b.conversation.id);
    const rows = await database.db.select().from(conversations).where(eq(conversations.contactId, customer));
    expect(rows).toHaveLength(1);
    expect(await eventTypes(a.conversation.id)).toEqual(["created:customer"]);
  });

  test("asking for a human queues the conversation; an immediate-handoff inbox queues at once; customers learn their place", async () => {
    const bot = await inbox();
    const immediate = await inbox({ handoffMode: "immediate" });
    const first = await say(immediate, contact(), "I need help");
    expect(first.conversation.status).toBe("queued");
    expect(await bodies(first.conversation.id)).toEqual(["1:customer:I need help"]);
    expect(await eventTypes(first.conversation.id)).toEqual(["created:customer", "queued:system"]);

    const second = contact();
    const { conversation } = await say(bot, second, "hi");
    const queued = await service.customerAsksForHuman(deps(), { inbox: bot, contactId: second });
    expect(queued.status).toBe("queued");
    expect(await eventTypes(conversation.id)).toEqual(["created:customer", "queued:customer"]);
    // Asking twice changes nothing.
    await service.customerAsksForHuman(deps(), { inbox: bot, contactId: second });
    expect(await eventTypes(conversation.id)).toEqual(["created:customer", "queued:customer"]);

    const summary = await service.summary(database.db, conversation.id);
    const earlier = await service.summary(database.db, first.conversation.id);
    expect(summary!.queuePosition! - earlier!.queuePosition!).toBe(1);
    expect(bus.on(topics.conversation(conversation.id)).at(-1)).toContain(`"queuePosition":${summary!.queuePosition}`);
  });

  test("a customer writing to a closed conversation reopens it: back to its agent, or to the queue without one", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const ana = await insertAgent(database.db, "Ana");
    const withAgent = contact();
    const a = (await say(shop, withAgent, "first")).conversation;
    await service.claim(deps(), ana, a.id);
    await service.close(deps(), ana, a.id);
    const again = await say(shop, withAgent, "one more thing");
    expect(again.conversation).toMatchObject({ status: "assigned", assigneeId: ana.id, closedAt: null });

    const without = contact();
    const b = (await say(shop, without, "first")).conversation;
    await service.close(deps(), ana, b.id);
    const back = await say(shop, without, "hello again");
    expect(back.conversation.status).toBe("queued");
    expect((await eventTypes(b.id)).at(-1)).toBe("reopened:customer");
    // A retry of the message that reopened it changes nothing more.
    const retry = await service.customerSends(deps(), { inbox: shop, contactId: without, clientId: back.message.clientId!, body: "hello again" });
    expect(retry.created).toBe(false);
    expect((await eventTypes(b.id)).filter((e) => e.startsWith("reopened"))).toHaveLength(1);
  });

  test("a waiting conversation's messages take the one-statement path: copies racing each other are stored once, seq stays gapless", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const customer = contact();
    const { conversation } = await say(shop, customer, "first");
    const ana = await insertAgent(database.db, "Ana");
    const copies = await Promise.all(
      Array.from({ length: 8 }, () => service.customerSends(deps(), { inbox: shop, contactId: customer, clientId: "same", body: "only once" })),
    );
    expect(new Set(copies.map((c) => c.message.id)).size).toBe(1);
    expect(copies.filter((c) => c.created)).toHaveLength(1);
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => say(shop, customer, `c${i}`, `c${i}`)),
      ...Array.from({ length: 20 }, (_, i) => service.agentSends(deps(), ana, conversation.id, `a${i}`, `a${i}`)),
    ]);
    const rows = await database.db.select().from(messages).where(eq(messages.conversationId, conversation.id)).orderBy(messages.seq);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows).toHaveLength(42);
    const [row] = await database.db.select().from(conversations).where(eq(conversations.id, conversation.id));
    expect(row!.lastSeq).toBe(42);
    // The customer's messages reached their topic once each.
    const frames = bus.on(topics.conversation(conversation.id)).filter((f) => f.includes('"clientId":"c7"'));
    expect(frames).toHaveLength(1);
  });
});
