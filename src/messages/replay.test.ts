import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversations, messages } from "../db/schema/index.ts";
import { insertConversation } from "../testing/fixtures.ts";
import { freshDatabase, storageMode, type TestDatabase } from "../testing/test-database.ts";
import type { MessageWithAuthor } from "./model.ts";
import { replay } from "./replay.ts";
import { CATCH_UP_LIMIT } from "./service.ts";

describe(`replay: one loop for every reader that catches up (${storageMode})`, () => {
  let database: TestDatabase;
  let conversationId: string;
  /** More than one page of messages. */
  const COUNT = CATCH_UP_LIMIT + 20;

  beforeAll(async () => {
    database = await freshDatabase();
    conversationId = (await insertConversation(database.db)).conversation.id;
    const rows = Array.from({ length: COUNT }, (_, i) => ({ conversationId, seq: i + 1, sender: "customer" as const, body: `m${i + 1}` }));
    await database.db.insert(messages).values(rows);
    await database.db.update(conversations).set({ lastSeq: COUNT }).where(eq(conversations.id, conversationId));
  });
  afterAll(() => database.close());

  test("hands over every message after the seq, oldest first, page by page, and returns the newest seq", async () => {
    const pages: number[][] = [];
    const newest = await replay(database.db, conversationId, 10, (page) => (pages.push(page.map((m) => m.seq)), true));
    expect(newest).toBe(COUNT);
    expect(pages.map((p) => p.length)).toEqual([CATCH_UP_LIMIT, COUNT - 10 - CATCH_UP_LIMIT]);
    expect(pages.flat()).toEqual(Array.from({ length: COUNT - 10 }, (_, i) => i + 11));
  });

  test("a reader that stops (a send was dropped) gets no further page, and null", async () => {
    const seen: MessageWithAuthor[][] = [];
    const result = await replay(database.db, conversationId, 0, async (page) => (seen.push(page), false));
    expect(result).toBeNull();
    expect(seen).toHaveLength(1);
  });

  test("nothing after the seq: the reader is not called, and the seq comes back", async () => {
    let calls = 0;
    expect(await replay(database.db, conversationId, COUNT, () => (calls++, true))).toBe(COUNT);
    expect(calls).toBe(0);
  });
});
