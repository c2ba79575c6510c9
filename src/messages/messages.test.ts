import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { conversations, messages } from "../db/schema/index.ts";
import { insertAgent, insertConversation } from "../testing/fixtures.ts";
import { freshDatabase, storageMode, type TestDatabase } from "../testing/test-database.ts";
import { MAX_BODY_LENGTH, MessageRejected, toWire } from "./model.ts";
import { appendMessage } from "../testing/append-message.ts";
import { waitFor } from "../testing/recording-sockets.ts";
import { messagesAfter } from "./service.ts";
import { fileLinks } from "../files/links.ts";

const LINKS = fileLinks("test-secret-test-secret-test-secret-0123", new URL("http://localhost:3000"));

describe(`messages are never lost or doubled (${storageMode})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.close());
  const db = () => database.db;

  async function rowsOf(conversationId: string) {
    return db().select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.seq);
  }

  test("each message takes the next seq of its own conversation", async () => {
    const a = (await insertConversation(db())).conversation;
    const b = (await insertConversation(db())).conversation;
    const first = await appendMessage(db(), { conversationId: a.id, clientId: "a1", sender: "customer", body: "Hello" });
    const other = await appendMessage(db(), { conversationId: b.id, clientId: "b1", sender: "customer", body: "Hi" });
    const second = await appendMessage(db(), { conversationId: a.id, clientId: "a2", sender: "customer", body: "  Anyone there?  " });
    expect([first.message.seq, second.message.seq, other.message.seq]).toEqual([1, 2, 1]);
    expect(second.message.body).toBe("Anyone there?");
    const [conv] = await db().select().from(conversations).where(eq(conversations.id, a.id));
    expect(conv!.lastSeq).toBe(2);
  });

  test("a retried send returns the original message and creates no second row", async () => {
    const { conversation } = await insertConversation(db());
    const original = await appendMessage(db(), { conversationId: conversation.id, clientId: "c-1", sender: "customer", body: "Once" });
    const retry = await appendMessage(db(), { conversationId: conversation.id, clientId: "c-1", sender: "customer", body: "Once" });
    expect(original.created).toBe(true);
    expect(retry.created).toBe(false);
    expect(retry.message).toEqual(original.message);
    expect(await rowsOf(conversation.id)).toHaveLength(1);
  });

  test("copies of one message racing each other store it once and burn no seq", async () => {
    const { conversation } = await insertConversation(db());
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        appendMessage(db(), { conversationId: conversation.id, clientId: "dup", sender: "customer", body: "Same" }),
      ),
    );
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const next = await appendMessage(db(), { conversationId: conversation.id, clientId: "after", sender: "customer", body: "Next" });
    expect(next.message.seq).toBe(2);
  });

  // PGlite runs one transaction at a time, so only PostgreSQL can interleave these copies.
  test.if(storageMode === "postgres")("copies that all arrive while the conversation is busy are stored once", async () => {
    const { conversation } = await insertConversation(db());
    const holder = postgres(database.url!, { max: 1, onnotice: () => {} });
    const watcher = postgres(database.url!, { max: 1, onnotice: () => {} });
    let copies: Promise<{ created: boolean; message: { id: string } }>[] = [];
    try {
      // Another writer holds the conversation while eight copies of one message arrive; when it
      // lets go they all proceed at once.
      await holder.begin(async (tx) => {
        await tx`select 1 from conversations where id = ${conversation.id} for update`;
        copies = Array.from({ length: 8 }, () =>
          appendMessage(db(), { conversationId: conversation.id, clientId: "busy", sender: "customer", body: "Same" }),
        );
        // Let go only once all eight wait for this lock (each on its own connection of the pool).
        await waitFor("eight copies waiting for the conversation", async () => {
          const [row] = await watcher<{ waiting: number }[]>`
            select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
          return row!.waiting >= 8;
        });
      });
      const results = await Promise.all(copies);
      expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect((await rowsOf(conversation.id)).map((r) => r.seq)).toEqual([1]);
    } finally {
      await holder.end();
      await watcher.end();
    }
  });

  test("seq stays gapless when the customer and two agents write at once", async () => {
    const { conversation } = await insertConversation(db(), "assigned");
    const [ana, ben] = [await insertAgent(db(), "Ana"), await insertAgent(db(), "Ben")];
    const writer = (sender: "customer" | "agent", agentId: string | null, tag: string) => async () => {
      for (let i = 0; i < 25; i++) {
        await appendMessage(db(), { conversationId: conversation.id, clientId: `${tag}-${i}`, sender, agentId, body: `${tag} ${i}` });
      }
    };
    await Promise.all([writer("customer", null, "cust")(), writer("agent", ana.id, "ana")(), writer("agent", ben.id, "ben")()]);
    const rows = await rowsOf(conversation.id);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 75 }, (_, i) => i + 1));
    // Each writer's own messages keep the order in which it sent them.
    for (const tag of ["cust", "ana", "ben"]) {
      const mine = rows.filter((r) => r.clientId!.startsWith(`${tag}-`)).map((r) => Number(r.clientId!.split("-")[1]));
      expect(mine).toEqual(Array.from({ length: 25 }, (_, i) => i));
    }
  });

  test("resume returns exactly the messages after the last seq seen", async () => {
    const { conversation } = await insertConversation(db());
    for (let i = 1; i <= 10; i++) {
      await appendMessage(db(), { conversationId: conversation.id, clientId: `m${i}`, sender: "customer", body: `m${i}` });
    }
    expect((await messagesAfter(db(), conversation.id, 3)).map((m) => m.body)).toEqual(["m4", "m5", "m6", "m7", "m8", "m9", "m10"]);
    expect(await messagesAfter(db(), conversation.id, 10)).toEqual([]);
    expect(await messagesAfter(db(), conversation.id, -5)).toHaveLength(10);
    const other = (await insertConversation(db())).conversation;
    expect(await messagesAfter(db(), other.id, 0)).toEqual([]);
  });

  test("when the commit fails nothing is stored, nothing is returned to acknowledge, and no seq is lost", async () => {
    const { conversation } = await insertConversation(db());
    await appendMessage(db(), { conversationId: conversation.id, clientId: "ok-1", sender: "customer", body: "first" });
    // An agent id that does not exist violates a foreign key inside the transaction.
    const failing = appendMessage(db(), {
      conversationId: conversation.id,
      clientId: "broken",
      sender: "agent",
      agentId: "01890000-0000-7000-8000-000000000000",
      body: "never stored",
    });
    await expect(failing).rejects.toThrow();
    const after = await appendMessage(db(), { conversationId: conversation.id, clientId: "ok-2", sender: "customer", body: "second" });
    expect(after.message.seq).toBe(2);
    expect((await rowsOf(conversation.id)).map((r) => r.body)).toEqual(["first", "second"]);
    const [conv] = await db().select().from(conversations).where(eq(conversations.id, conversation.id));
    expect(conv!.lastAgentMessageAt).toBeNull();
  });

  test("customer and agent times are kept, and the first response time is set once", async () => {
    const { conversation } = await insertConversation(db(), "assigned");
    const agent = await insertAgent(db());
    const read = async () => (await db().select().from(conversations).where(eq(conversations.id, conversation.id)))[0]!;
    await appendMessage(db(), { conversationId: conversation.id, clientId: "q", sender: "customer", body: "Question" });
    let conv = await read();
    expect(conv.lastCustomerMessageAt).toBeInstanceOf(Date);
    expect(conv.firstResponseAt).toBeNull();
    const reply = await appendMessage(db(), { conversationId: conversation.id, clientId: "r1", sender: "agent", agentId: agent.id, body: "Answer" });
    conv = await read();
    expect(conv.firstResponseAt!.getTime()).toBe(reply.message.createdAt.getTime());
    expect(conv.lastAgentMessageAt!.getTime()).toBe(reply.message.createdAt.getTime());
    // Both replies may fall in one millisecond: moving the stored times a minute back makes an
    // overwrite by the second one visible without waiting for the clock.
    const minuteBefore = new Date(reply.message.createdAt.getTime() - 60_000);
    await db().update(conversations).set({ firstResponseAt: minuteBefore, lastAgentMessageAt: minuteBefore }).where(eq(conversations.id, conversation.id));
    const later = await appendMessage(db(), { conversationId: conversation.id, clientId: "r2", sender: "agent", agentId: agent.id, body: "More" });
    conv = await read();
    expect(conv.firstResponseAt!.getTime()).toBe(minuteBefore.getTime());
    expect(conv.lastAgentMessageAt!.getTime()).toBe(later.message.createdAt.getTime());
  });

  test("bad input is refused with a code and stores nothing", async () => {
    const { conversation } = await insertConversation(db());
    const cases: Array<[Parameters<typeof appendMessage>[1], string]> = [
      [{ conversationId: conversation.id, clientId: "e", sender: "customer", body: "   " }, "empty"],
      [{ conversationId: conversation.id, clientId: "l", sender: "customer", body: "x".repeat(MAX_BODY_LENGTH + 1) }, "too_long"],
      [{ conversationId: conversation.id, clientId: "", sender: "customer", body: "hi" }, "bad_client_id"],
      [{ conversationId: conversation.id, clientId: "c".repeat(101), sender: "customer", body: "hi" }, "bad_client_id"],
      [{ conversationId: "01890000-0000-7000-8000-000000000001", clientId: "n", sender: "customer", body: "hi" }, "no_conversation"],
    ];
    for (const [input, code] of cases) {
      const error = await appendMessage(db(), input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MessageRejected);
      expect((error as MessageRejected).code).toBe(code as MessageRejected["code"]);
    }
    expect(await rowsOf(conversation.id)).toEqual([]);
    const max = await appendMessage(db(), { conversationId: conversation.id, clientId: "max", sender: "customer", body: "y".repeat(MAX_BODY_LENGTH) });
    expect(max.message.seq).toBe(1);
  });

  test("the wire shape is the protocol's message", async () => {
    const { conversation } = await insertConversation(db());
    const { message } = await appendMessage(db(), { conversationId: conversation.id, clientId: "w", sender: "customer", body: "<b>hi</b>" });
    expect(toWire({ ...message, agentName: null }, LINKS)).toEqual({
      id: message.id,
      seq: 1,
      clientId: "w",
      body: "<b>hi</b>",
      // The body as the widget shows it: rendered on the server, the typed markup escaped.
      html: "<p>&lt;b&gt;hi&lt;/b&gt;</p>",
      sender: "customer",
      createdAt: message.createdAt.toISOString(),
    });
    expect(toWire({ ...message, clientId: null, sender: "agent", agentName: "Ana" }, LINKS)).toMatchObject({ sender: "agent", agentName: "Ana" });
  });
});
