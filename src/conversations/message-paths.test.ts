import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversations, inboxes, messages } from "../db/schema/index.ts";
import { inProcessBus } from "../realtime/bus.ts";
import { insertAgent } from "../testing/fixtures.ts";
import { countStatements } from "../testing/statements.ts";
import { freshDatabase, storageMode, type TestDatabase } from "../testing/test-database.ts";
import { MessagePaths } from "./message-paths.ts";
import * as service from "./service.ts";

// A customer's message takes one path, chosen before it is sent: the batched statement for a
// conversation that only gains the message, the full transaction for anything else. Trying the
// batch first cost every bot-mode message a statement that found nothing, and then the transaction.
describe(`a customer's message takes one path, decided up front (${storageMode})`, () => {
  let database: TestDatabase;
  const deps = () => ({ db: database.db, bus: inProcessBus() });
  let n = 0;

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.close());

  async function inbox(handoffMode: "bot" | "immediate") {
    const [row] = await database.db
      .insert(inboxes)
      .values({ name: "Shop", publicKey: `pk_paths_${++n}_${Date.now()}`, identitySecret: "s", handoffMode, greeting: "Hi there" })
      .returning();
    return row!;
  }

  /** The batched statement of customer-append-batcher.ts (its input is a JSON record set). */
  const isBatch = (statement: string) => statement.includes("jsonb_to_recordset");

  /** How a message went: batched statements and transactions opened while sending it. */
  async function send(inboxRow: Awaited<ReturnType<typeof inbox>>, contactId: string, body: string) {
    const counted = await countStatements(database.db, () => service.customerSends(deps(), { inbox: inboxRow, contactId, clientId: crypto.randomUUID(), body }));
    return { sent: counted.result, batches: counted.statements.filter(isBatch).length, transactions: counted.transactions, statements: counted.count };
  }

  const bodies = async (conversationId: string) =>
    (await database.db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.seq)).map((m) => `${m.sender}:${m.body}`);

  test("a message to the bot runs the full transaction alone, never the batch first", async () => {
    const shop = await inbox("bot");
    const contactId = Bun.randomUUIDv7();
    const first = await send(shop, contactId, "hello");
    expect(first.sent.conversation.status).toBe("bot");
    expect({ batches: first.batches, transactions: first.transactions }).toEqual({ batches: 0, transactions: 1 });
    for (const body of ["are you there?", "anyone?"]) {
      const next = await send(shop, contactId, body);
      expect(next.sent.conversation.status).toBe("bot");
      expect({ batches: next.batches, transactions: next.transactions }).toEqual({ batches: 0, transactions: 1 });
    }
    const stored = await bodies(first.sent.conversation.id);
    expect(stored.filter((m) => m.startsWith("customer:"))).toEqual(["customer:hello", "customer:are you there?", "customer:anyone?"]);
  });

  test("a message to a waiting conversation is one batched statement, and no transaction", async () => {
    const shop = await inbox("immediate");
    const contactId = Bun.randomUUIDv7();
    const first = await send(shop, contactId, "hello");
    expect(first.sent.conversation.status).toBe("queued");
    expect({ batches: first.batches, transactions: first.transactions }).toEqual({ batches: 0, transactions: 1 });
    const next = await send(shop, contactId, "still there?");
    expect({ batches: next.batches, transactions: next.transactions }).toEqual({ batches: 1, transactions: 0 });
    expect(await bodies(first.sent.conversation.id)).toEqual(["customer:hello", "customer:still there?"]);
  });

  test("after the customer asks for a human, their messages take the batch", async () => {
    const shop = await inbox("bot");
    const contactId = Bun.randomUUIDv7();
    await send(shop, contactId, "hello");
    await service.customerAsksForHuman(deps(), { inbox: shop, contactId });
    const next = await send(shop, contactId, "my order is late");
    expect(next.sent.conversation.status).toBe("queued");
    expect({ batches: next.batches, transactions: next.transactions }).toEqual({ batches: 1, transactions: 0 });
  });

  test("a conversation an agent closed reopens with the customer's next message, in one transaction", async () => {
    const shop = await inbox("immediate");
    const contactId = Bun.randomUUIDv7();
    const agent = await insertAgent(database.db, "Ana");
    const first = await send(shop, contactId, "hello");
    await service.close(deps(), agent, first.sent.conversation.id);
    const next = await send(shop, contactId, "one more thing");
    expect(next.sent.conversation.status).toBe("queued");
    expect({ batches: next.batches, transactions: next.transactions }).toEqual({ batches: 0, transactions: 1 });
    expect(await bodies(first.sent.conversation.id)).toEqual(["customer:hello", "customer:one more thing"]);
  });

  test("a change this process did not see (another instance closed it) still stores the message once, reopened", async () => {
    const shop = await inbox("immediate");
    const contactId = Bun.randomUUIDv7();
    const first = await send(shop, contactId, "hello");
    await database.db.update(conversations).set({ status: "closed", closedAt: new Date() }).where(eq(conversations.id, first.sent.conversation.id));
    const next = await send(shop, contactId, "hello again");
    expect(next.sent.conversation.status).toBe("queued");
    expect(next.sent.created).toBe(true);
    expect(await bodies(first.sent.conversation.id)).toEqual(["customer:hello", "customer:hello again"]);
    // Now known again: the next one is batched.
    const third = await send(shop, contactId, "thanks");
    expect({ batches: third.batches, transactions: third.transactions }).toEqual({ batches: 1, transactions: 0 });
  });
});

describe("which contacts' messages are batched", () => {
  test("only what was last seen waiting or with an agent; the least recently seen are forgotten past the capacity", () => {
    const paths = new MessagePaths(2);
    const seen = (contactId: string, status: "bot" | "queued" | "assigned" | "closed") => paths.seen({ inboxId: "i", contactId, status });
    expect(paths.batchFor("i", "a")).toBe(false);
    seen("a", "queued");
    seen("b", "bot");
    expect([paths.batchFor("i", "a"), paths.batchFor("i", "b")]).toEqual([true, false]);
    seen("b", "assigned");
    seen("a", "assigned"); // seen again: now the most recent
    seen("c", "queued"); // past the capacity: b, the least recently seen, is forgotten
    expect([paths.batchFor("i", "a"), paths.batchFor("i", "b"), paths.batchFor("i", "c")]).toEqual([true, false, true]);
    seen("a", "closed");
    expect(paths.batchFor("i", "a")).toBe(false);
  });
});
