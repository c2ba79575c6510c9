import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIGRATIONS_DIR } from "../paths.ts";
import { databaseUrl, freshDatabase, storageMode, testDatabaseUrl, type TestDatabase } from "../testing/test-database.ts";
import postgres from "postgres";
import { openDatabase } from "./open-database.ts";
import { postgresDatabase } from "./postgres.ts";
import { agents, contacts, conversations, inboxes, messages } from "./schema/index.ts";
import { rowsOf } from "./rows.ts";

const TABLES = [
  "account_settings",
  "agents",
  "agent_sessions",
  "invites",
  "inboxes",
  "contacts",
  "conversations",
  "messages",
  "conversation_events",
  "conversation_ratings",
  "tickets",
  "ticket_events",
  "ticket_comments",
  "jobs",
  "attachments",
  "file_chunks",
  "saved_replies",
  "labels",
  "conversation_labels",
  "conversation_notes",
  "agent_notifications",
  "password_resets",
];

describe(`migrations (${storageMode})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.close());

  test("create every table of the data model", async () => {
    const result = await database.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    const names = rowsOf<{ table_name: string }>(result).map((r) => r.table_name);
    expect(names.sort()).toEqual([...TABLES].sort());
  });

  test("applying them again changes nothing", async () => {
    const count = async () =>
      rowsOf<{ n: number | string }>(await database.db.execute(sql`select count(*) as n from drizzle.__drizzle_migrations`))[0]!.n;
    const before = Number(await count());
    await database.migrate(MIGRATIONS_DIR);
    expect(Number(await count())).toBe(before);
    expect(before).toBeGreaterThan(0);
  });

  test("a message id from the client is unique per conversation, and so is seq", async () => {
    const db = database.db;
    const [inbox] = await db.insert(inboxes).values({ name: "T", publicKey: "pk_t", identitySecret: "s" }).returning();
    const [contact] = await db.insert(contacts).values({ inboxId: inbox!.id }).returning();
    const [conv] = await db.insert(conversations).values({ inboxId: inbox!.id, contactId: contact!.id, status: "queued" }).returning();
    const base = { conversationId: conv!.id, sender: "customer" as const, body: "hi" };
    await db.insert(messages).values({ ...base, seq: 1, clientId: "c-1" });
    // drizzle's builders are thenables, not promises: Promise.resolve turns them into one.
    await expect(Promise.resolve(db.insert(messages).values({ ...base, seq: 2, clientId: "c-1" }))).rejects.toThrow();
    await expect(Promise.resolve(db.insert(messages).values({ ...base, seq: 1, clientId: "c-2" }))).rejects.toThrow();
    // Messages without a client id (bot, system) do not collide with each other.
    await db.insert(messages).values({ ...base, seq: 2, sender: "bot" });
    await db.insert(messages).values({ ...base, seq: 3, sender: "bot" });
  });

  test("email addresses are unique whatever their case", async () => {
    await database.db.insert(agents).values({ email: "ana@example.com", name: "Ana", passwordHash: "x" });
    await expect(
      Promise.resolve(database.db.insert(agents).values({ email: "ANA@example.com", name: "Ana 2", passwordHash: "x" })),
    ).rejects.toThrow();
  });
});

describe("embedded database in DATA_DIR", () => {
  test("is created and migrated on first open and keeps its rows across restarts", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sd-data-"));
    try {
      const first = await openDatabase({ databaseUrl: null, dataDir });
      await first.migrate(MIGRATIONS_DIR);
      await first.db.insert(inboxes).values({ name: "Kept", publicKey: "pk_kept", identitySecret: "s" });
      await first.close();

      const second = await openDatabase({ databaseUrl: null, dataDir });
      await second.migrate(MIGRATIONS_DIR);
      const rows = await second.db.select({ name: inboxes.name }).from(inboxes);
      await second.close();
      expect(rows).toEqual([{ name: "Kept" }]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe.if(testDatabaseUrl !== null)("several instances booting at once on one PostgreSQL", () => {
  test("take turns migrating: both start, and every migration is applied once", async () => {
    const admin = postgres(testDatabaseUrl!, { max: 1, onnotice: () => {} });
    const name = `sd_boot_${process.pid}_${Date.now().toString(36)}`;
    await admin.unsafe(`create database "${name}"`);
    const url = databaseUrl(testDatabaseUrl!, name);
    const a = postgresDatabase(url);
    const b = postgresDatabase(url);
    try {
      await Promise.all([a.migrate(MIGRATIONS_DIR), b.migrate(MIGRATIONS_DIR)]);
      const journal = await Bun.file(join(MIGRATIONS_DIR, "meta/_journal.json")).json();
      const applied = rowsOf<{ n: string }>(await a.db.execute(sql`select count(*) as n from drizzle.__drizzle_migrations`));
      expect(Number(applied[0]!.n)).toBe(journal.entries.length);
    } finally {
      await a.close();
      await b.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});
