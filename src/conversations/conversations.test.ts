import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversations, inboxes, messages } from "../db/schema/index.ts";
import { inProcessBus, type Bus, type SeqMark } from "../realtime/bus.ts";
import { topics } from "../realtime/topics.ts";
import { insertAgent } from "../testing/fixtures.ts";
import { freshDatabase, storageMode, type TestDatabase } from "../testing/test-database.ts";
import { botFallback } from "./bot.ts";
import { ConversationRefused, needsAttention } from "./model.ts";
import { RowPublisher } from "./notify.tsx";
import * as service from "./service.ts";
import { silentLogger } from "../log/logger.ts";

/** A bus that remembers what was published where. */
function recordingBus(): Bus & { sent: { topic: string; data: string; mark?: SeqMark }[]; on(topic: string): string[] } {
  const inner = inProcessBus();
  const sent: { topic: string; data: string; mark?: SeqMark }[] = [];
  return {
    ...inner,
    sent,
    publish: (topic, data, mark) => void sent.push({ topic, data, mark }),
    on: (topic) => sent.filter((s) => s.topic === topic).map((s) => s.data),
  };
}

describe(`conversation lifecycle (${storageMode})`, () => {
  let database: TestDatabase;
  let bus: ReturnType<typeof recordingBus>;
  const deps = () => ({ db: database.db, bus });
  let n = 0;

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.close());
  beforeEach(() => {
    bus = recordingBus();
  });

  async function inbox(values: Partial<typeof inboxes.$inferInsert> = {}) {
    const [row] = await database.db
      .insert(inboxes)
      .values({ name: "Shop", publicKey: `pk_test_${++n}_${Date.now()}`, identitySecret: "secret", ...values })
      .returning();
    return row!;
  }

  const contact = () => Bun.randomUUIDv7();
  const say = (i: Awaited<ReturnType<typeof inbox>>, contactId: string, body: string, clientId: string = crypto.randomUUID()) =>
    service.customerSends(deps(), { inbox: i, contactId, clientId, body });
  const bodies = async (conversationId: string) =>
    (await database.db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.seq)).map((m) => `${m.seq}:${m.sender}:${m.body}`);
  const eventTypes = async (conversationId: string) => (await service.eventsOf(database.db, conversationId)).map((e) => `${e.type}:${e.actorType}`);

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

  test("of two agents claiming at once exactly one wins, and the other is told who has it", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const { conversation } = await say(shop, contact(), "help");
    const ana = await insertAgent(database.db, "Ana");
    const ben = await insertAgent(database.db, "Ben");
    const results = await Promise.allSettled([service.claim(deps(), ana, conversation.id), service.claim(deps(), ben, conversation.id)]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<{ assigneeId: string | null }>).value.assigneeId === ana.id ? ana : ben;
    expect(lost[0]!.reason).toBeInstanceOf(ConversationRefused);
    expect(lost[0]!.reason.code).toBe("taken");
    expect(lost[0]!.reason.message).toBe(`${winner.name} already took this conversation.`);
    expect(await eventTypes(conversation.id)).toEqual(["created:customer", "queued:system", "claimed:agent"]);
    // Claiming one's own again is fine and records nothing.
    await service.claim(deps(), winner, conversation.id);
    expect(await eventTypes(conversation.id)).toHaveLength(3);
    const status = bus.on(topics.conversation(conversation.id)).find((f) => f.includes('"status":"assigned"'));
    expect(JSON.parse(status!)).toMatchObject({ type: "status", status: "assigned", agent: { name: winner.name } });
  });

  test("assign, unassign, close and reopen move the conversation and leave a trail of who did what", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const customer = contact();
    const { conversation } = await say(shop, customer, "help");
    const ana = await insertAgent(database.db, "Ana");
    const ben = await insertAgent(database.db, "Ben");

    expect((await service.assign(deps(), ana, conversation.id, ben.id)).assigneeId).toBe(ben.id);
    const unassigned = await service.unassign(deps(), ana, conversation.id);
    expect(unassigned.status).toBe("queued");
    expect(unassigned.queuedAt).not.toBeNull();
    await expect(service.unassign(deps(), ana, conversation.id)).rejects.toMatchObject({ code: "not_assigned" });
    await expect(service.assign(deps(), ana, conversation.id, crypto.randomUUID())).rejects.toMatchObject({ code: "no_such_agent" });

    await service.claim(deps(), ana, conversation.id);
    const closed = await service.close(deps(), ana, conversation.id);
    expect(closed.status).toBe("closed");
    expect(closed.closedAt).toBeInstanceOf(Date);
    await expect(service.claim(deps(), ben, conversation.id)).rejects.toMatchObject({ code: "closed" });
    await expect(service.agentSends(deps(), ana, conversation.id, "x", "still there?")).rejects.toMatchObject({ code: "closed" });

    const reopened = await service.reopen(deps(), ben, conversation.id);
    expect(reopened).toMatchObject({ status: "assigned", assigneeId: ana.id, closedAt: null });
    await expect(service.reopen(deps(), ben, conversation.id)).rejects.toMatchObject({ code: "not_closed" });

    const events = await service.eventsOf(database.db, conversation.id);
    expect(events.map((e) => `${e.type}:${e.actorAgentId === ana.id ? "Ana" : e.actorAgentId === ben.id ? "Ben" : e.actorType}`)).toEqual([
      "created:customer",
      "queued:system",
      "assigned:Ana",
      "unassigned:Ana",
      "claimed:Ana",
      "closed:Ana",
      "reopened:Ben",
    ]);
    expect(events[2]!.data).toEqual({ from: null, to: ben.id });
    // Agents viewing it saw the events inline, escaped and named.
    expect(bus.on(topics.conversationAgents(conversation.id)).join("")).toContain("Reopened by Ben");
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

  test("an agent's reply claims a conversation nobody owns, sets the first response time once, and ends 'needs attention'", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const ana = await insertAgent(database.db, "Ana");
    const ben = await insertAgent(database.db, "Ben");
    const customer = contact();
    const { conversation } = await say(shop, customer, "hello?");
    expect(needsAttention((await service.summary(database.db, conversation.id))!)).toBe(true);

    const reply = await service.agentSends(deps(), ana, conversation.id, "r1", "Hi, Ana here");
    expect(reply.message).toMatchObject({ sender: "agent", agentName: "Ana", seq: 2 });
    const after = (await service.summary(database.db, conversation.id))!;
    expect(after).toMatchObject({ status: "assigned", assigneeId: ana.id });
    expect(needsAttention(after)).toBe(false);
    const firstResponse = (await service.findConversation(database.db, conversation.id))!.firstResponseAt;
    expect(firstResponse).toBeInstanceOf(Date);

    // A colleague may add a word; the owner stays, the first response time does not move.
    await service.agentSends(deps(), ben, conversation.id, "r2", "Ben here too");
    const later = (await service.findConversation(database.db, conversation.id))!;
    expect(later.assigneeId).toBe(ana.id);
    expect(later.firstResponseAt).toEqual(firstResponse);
    // A retried reply is the same message.
    expect((await service.agentSends(deps(), ana, conversation.id, "r1", "Hi, Ana here")).message.id).toBe(reply.message.id);
    await say(shop, customer, "thanks, but...");
    expect(needsAttention((await service.summary(database.db, conversation.id))!)).toBe(true);
    // The customer saw the agent's name on the reply.
    expect(bus.on(topics.conversation(conversation.id)).some((f) => f.includes('"agentName":"Ana"'))).toBe(true);
  });

  test("read receipts only move forward and never past the newest message", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const customer = contact();
    const { conversation } = await say(shop, customer, "one");
    await say(shop, customer, "two");
    await service.markViewed(deps(), conversation.id, 99);
    await service.markViewed(deps(), conversation.id, 1);
    await service.customerRead(deps(), conversation.id, 2);
    const row = (await service.findConversation(database.db, conversation.id))!;
    expect([row.agentReadSeq, row.customerReadSeq]).toEqual([2, 2]);
    expect(bus.on(topics.conversation(conversation.id)).filter((f) => f.includes('"type":"read"'))).toEqual(['{"type":"read","seq":2}']);
    expect(bus.on(topics.conversationAgents(conversation.id)).join("")).toContain(`id="seen-${conversation.id}"`);
  });

  test("what a customer wrote reaches agents as text, never as markup", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const { conversation } = await say(shop, contact(), "<script>alert(1)</script><img src=x onerror=alert(1)>");
    const pushed = bus.on(topics.conversationAgents(conversation.id)).join("") + bus.on(topics.inbox()).join("");
    expect(pushed).not.toContain("<script>");
    expect(pushed).not.toContain("<img");
    expect(pushed).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  test("tabs page newest activity first with a keyset cursor: every row once, none skipped", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const ana = await insertAgent(database.db, "Ana");
    const created: string[] = [];
    for (let i = 0; i < 30; i++) created.push((await say(shop, contact(), `customer ${i}`)).conversation.id);
    // Same millisecond activity for a few rows: the id breaks the tie.
    const same = new Date();
    for (const id of created.slice(0, 5)) await database.db.update(conversations).set({ lastActivityAt: same }).where(eq(conversations.id, id));
    for (const id of created.slice(10, 14)) await service.claim(deps(), ana, id);
    await service.close(deps(), ana, created[10]!);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: service.Page = await service.listTab(database.db, ana.id, "open", cursor, 7);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.next;
    } while (cursor);
    const open = await database.db.select().from(conversations).where(eq(conversations.inboxId, shop.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => created.includes(id)).sort()).toEqual(created.filter((id) => id !== created[10]).sort());
    const all = await service.listTab(database.db, ana.id, "open", null, 100);
    const times = all.rows.map((r) => r.lastActivityAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(open).toHaveLength(30);

    const mine = await service.listTab(database.db, ana.id, "mine", null);
    expect(mine.rows.map((r) => r.id).sort()).toEqual(created.slice(11, 14).sort());
    const closed = await service.listTab(database.db, ana.id, "closed", null);
    expect(closed.rows.map((r) => r.id)).toContain(created[10]!);
    const queue = await service.listTab(database.db, ana.id, "queue", null, 100);
    expect(queue.rows.every((r) => r.status === "queued" && r.queuePosition !== null)).toBe(true);
    expect(queue.rows[0]!.lastMessageBody).toMatch(/^customer \d+$/);
    const counts = await service.tabCounts(database.db, ana.id, 10);
    expect(counts.mine).toBe(3);
    expect(counts.open).toBe(11); // capped: never counts the whole table
    await expect(service.listTab(database.db, ana.id, "open", "not-a-cursor")).rejects.toBeInstanceOf(ConversationRefused);
  });

  test("list rows changed together go to agents together: the first at once, the rest in one frame per interval", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const rows = new RowPublisher({ db: database.db, bus, log: silentLogger }, 200);
    const deps = { db: database.db, bus, rows };
    const [first, second] = [contact(), contact()];
    const a = (await service.customerSends(deps, { inbox: shop, contactId: first, clientId: "r0", body: "first" })).conversation;
    const b = (await service.customerSends(deps, { inbox: shop, contactId: second, clientId: "s0", body: "other" })).conversation;
    for (let i = 1; i <= 9; i++) await service.customerSends(deps, { inbox: shop, contactId: first, clientId: `r${i}`, body: `burst ${i}` });
    await Bun.sleep(50);
    const frames = () => bus.on(topics.inbox()).filter((f) => f.includes("conv-row-"));
    expect(frames()).toHaveLength(1);
    expect(frames()[0]).toContain("first");
    await Bun.sleep(300);
    expect(frames()).toHaveLength(2);
    // One frame, both rows, each with its latest state.
    expect(frames()[1]).toContain(`conv-row-${a.id}`);
    expect(frames()[1]).toContain(`conv-row-${b.id}`);
    expect(frames()[1]).toContain("burst 9");
    // The messages themselves went out at once, one push each.
    expect(bus.on(topics.conversation(a.id)).filter((f) => f.includes('"type":"message"'))).toHaveLength(10);
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
