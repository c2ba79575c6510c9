import { describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { rowsOf } from "../db/rows.ts";
import { freshDatabase } from "../testing/test-database.ts";
import { messageText, messageTextSql } from "./message-text.ts";

const FILES = [
  { id: "1", name: "invoice.pdf", size: 10, type: "application/pdf" },
  { id: "2", name: "photo.png", size: 10, type: "image/png" },
];

describe("a message's words for previews and emails", () => {
  test("the body when there is one; the files' names for files alone", () => {
    expect(messageText({ body: "Here", attachments: FILES })).toBe("Here");
    expect(messageText({ body: "", attachments: FILES })).toBe("📎 invoice.pdf, photo.png");
    expect(messageText({ body: "plain", attachments: null })).toBe("plain");
  });

  test("the SQL says the same as the function", async () => {
    const database = await freshDatabase();
    try {
      const rows = rowsOf<{ text: string }>(
        await database.db.execute(sql`select ${messageTextSql("m")} as text from (values ('Here', ${JSON.stringify(FILES)}::jsonb), ('', ${JSON.stringify(FILES)}::jsonb), ('plain', null::jsonb)) as m(body, attachments)`),
      );
      expect(rows.map((r) => r.text)).toEqual(["Here", "📎 invoice.pdf, photo.png", "plain"]);
    } finally {
      await database.close();
    }
  });
});
