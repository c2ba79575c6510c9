// Migration 0011 cleans the page addresses stored before they were stored without their query
// string, fragment and user info (which may carry the host site's tokens).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { contacts } from "../db/schema/index.ts";
import { MIGRATIONS_DIR } from "../paths.ts";
import { insertConversation } from "../testing/fixtures.ts";
import { freshDatabase, storageMode, type TestDatabase } from "../testing/test-database.ts";

describe(`stored page addresses lose their query strings (${storageMode})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.close());

  test("query, fragment and user info go; the rest of the address and clean ones stay", async () => {
    const db = database.db;
    const stored = {
      "https://shop.example/checkout?session=tok_123&step=2#pay": "https://shop.example/checkout",
      "https://user:pass@shop.example/account#top": "https://shop.example/account",
      "http://shop.example:8080/a/b/?reset=abc": "http://shop.example:8080/a/b/",
      "https://shop.example/products/42": "https://shop.example/products/42",
      "https://shop.example/@ana/profile": "https://shop.example/@ana/profile",
    };
    const ids: Record<string, string> = {};
    for (const url of Object.keys(stored)) {
      const { contact } = await insertConversation(db);
      await db.update(contacts).set({ lastPageUrl: url }).where(eq(contacts.id, contact.id));
      ids[url] = contact.id;
    }
    const text = await Bun.file(join(MIGRATIONS_DIR, "0011_strip_stored_page_queries.sql")).text();
    for (const statement of text.split("--> statement-breakpoint")) await db.execute(sql.raw(statement));
    for (const [url, expected] of Object.entries(stored)) {
      const [row] = await db.select({ page: contacts.lastPageUrl }).from(contacts).where(eq(contacts.id, ids[url]!));
      expect(row!.page).toBe(expected);
    }
  });
});
