// The folder store and the database store keep the storage contract (store-contract.ts). The
// database store runs on the run's storage mode: PGlite, or PostgreSQL with TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count, eq } from "drizzle-orm";
import { fileChunks } from "../db/schema/index.ts";
import { freshDatabase, type TestDatabase } from "../testing/test-database.ts";
import { databaseFileStore, CHUNK_BYTES } from "./database-store.ts";
import { diskFileStore } from "./disk-store.ts";
import { fileStoreContract, patternChunks } from "./store-contract.ts";
import type { FileStore } from "./store.ts";

describe("the folder store (embedded mode)", () => {
  const root = mkdtempSync(join(tmpdir(), "sd-files-"));
  const store = diskFileStore(root);
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  fileStoreContract(() => store);

  test("a cut upload leaves no temporary file either", async () => {
    const key = Bun.randomUUIDv7();
    await expect(store.put(key, patternChunks(300_000, 50_000, 100_000))).rejects.toThrow("upload cut");
    expect(readdirSync(join(root, key.slice(-2)))).not.toContain(`${key}.part`);
  });

  test("a key that is not a UUID is never made into a path", async () => {
    await expect(store.get("../../etc/passwd")).rejects.toThrow("UUID");
  });
});

describe("the database store", () => {
  let database: TestDatabase;
  let store: FileStore;
  beforeAll(async () => {
    database = await freshDatabase();
    store = databaseFileStore(() => database.db);
  });
  afterAll(() => database.close());
  fileStoreContract(() => store);

  test("a file is kept in chunks of 256 KiB, none larger", async () => {
    const key = Bun.randomUUIDv7();
    await store.put(key, patternChunks(CHUNK_BYTES * 2 + 5, 100_000));
    const [row] = await database.db.select({ n: count() }).from(fileChunks).where(eq(fileChunks.key, key));
    expect(row?.n).toBe(3);
  });
});
