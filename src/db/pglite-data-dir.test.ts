// A first embedded start loads the initial database built into the binary instead of running
// initdb. What an operator relies on: the new database works and gets every migration, one that
// does not load still gets a database, and an existing DATA_DIR is never replaced.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { recordingLogger } from "../testing/bus-instances.ts";
import { MIGRATIONS_DIR } from "../paths.ts";
import type { Database } from "./database.ts";
import { makeInitialDatabase } from "./initial-database.ts";
import { openDatabase } from "./open-database.ts";
import { LOADING_MARKER_SUFFIX } from "./pglite-data-dir.ts";
import { inboxes } from "./schema/index.ts";
import { rowsOf } from "./rows.ts";

const LOADED = "created the database from the initial one in the binary";
const FELL_BACK = "the initial database in the binary did not load; creating the database with initdb instead";
const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
/**
 * The snapshot is made without the migrations from 0012_jobs on (the `jobs` table is how the test
 * tells), like a binary whose snapshot predates its newest migrations; found by its tag, so a
 * new migration does not move it.
 */
const BEHIND = journal.entries.length - journal.entries.findIndex((e) => e.tag === "0012_jobs");

const roots: string[] = [];
function newDataDir(): string {
  const root = mkdtempSync(join(tmpdir(), "sd-initial-db-"));
  roots.push(root);
  return join(root, "data");
}

/** drizzle/ as it was before 0012_jobs. */
function olderMigrations(): string {
  const root = mkdtempSync(join(tmpdir(), "sd-migrations-"));
  roots.push(root);
  const dir = join(root, "drizzle");
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const older = { ...journal, entries: journal.entries.slice(0, -BEHIND) };
  writeFileSync(join(dir, "meta/_journal.json"), JSON.stringify(older));
  return dir;
}

/** Paths under `dir` that the group or others may use: the copied files must be as private as initdb's. */
function openToOthers(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((path) => lstatSync(join(dir, path)).mode & 0o077);
}

async function appliedMigrations(database: Database): Promise<number> {
  const [row] = rowsOf<{ n: string }>(await database.db.execute(sql`select count(*) as n from drizzle.__drizzle_migrations`));
  return Number(row!.n);
}

async function hasTable(database: Database, name: string): Promise<boolean> {
  const [row] = rowsOf<{ t: string | null }>(await database.db.execute(sql`select to_regclass(${name})::text as t`));
  return row!.t !== null;
}

let initialDatabase: Blob;
beforeAll(async () => {
  initialDatabase = await makeInitialDatabase(olderMigrations());
}, 60_000);
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe("a new DATA_DIR", () => {
  test("opens from the initial database: migrated as far as the build was, and the newer migrations run on it", async () => {
    const dataDir = newDataDir();
    const { log, lines } = recordingLogger();
    const database = await openDatabase({ databaseUrl: null, dataDir }, log, undefined, initialDatabase);
    try {
      expect(lines.map((l) => l.msg)).toContain(LOADED);
      expect(await appliedMigrations(database)).toBe(journal.entries.length - BEHIND);
      expect(await hasTable(database, "inboxes")).toBe(true);
      expect(await hasTable(database, "jobs")).toBe(false); // 0012, newer than this snapshot

      await database.migrate(MIGRATIONS_DIR);
      expect(await appliedMigrations(database)).toBe(journal.entries.length);
      expect(await hasTable(database, "jobs")).toBe(true);
      await database.db.insert(inboxes).values({ name: "Support", publicKey: "pk_first", identitySecret: "s" });
    } finally {
      await database.close();
    }
    expect(existsSync(join(dataDir, "pg" + LOADING_MARKER_SUFFIX))).toBe(false);
    expect(openToOthers(dataDir)).toEqual([]);

    const { log: laterLog, lines: laterLines } = recordingLogger();
    const reopened = await openDatabase({ databaseUrl: null, dataDir }, laterLog, undefined, initialDatabase);
    try {
      expect(laterLines.map((l) => l.msg)).not.toContain(LOADED);
      expect(await reopened.db.select({ name: inboxes.name }).from(inboxes)).toEqual([{ name: "Support" }]);
    } finally {
      await reopened.close();
    }
  }, 60_000);

  const unloadable: Array<[string, () => Promise<Blob>]> = [
    ["is no tarball", async () => new Blob([new Uint8Array(4096).fill(7)], { type: "application/gzip" })],
    // What a snapshot from another PostgreSQL major version would look like to this one.
    ["unpacks but is no database this PGlite opens", () => new Bun.Archive({ PG_VERSION: "99\n" }, { compress: "gzip" }).blob()],
  ];
  for (const [what, make] of unloadable) {
    test(`gets a database from initdb, with a warning, when the initial database ${what}`, async () => {
      const dataDir = newDataDir();
      const { log, lines } = recordingLogger();
      const database = await openDatabase({ databaseUrl: null, dataDir }, log, undefined, await make());
      try {
        expect(lines.find((l) => l.msg === FELL_BACK)?.level).toBe("warn");
        expect(lines.map((l) => l.msg)).not.toContain(LOADED);
        await database.migrate(MIGRATIONS_DIR);
        expect(await appliedMigrations(database)).toBe(journal.entries.length);
      } finally {
        await database.close();
      }
      expect(existsSync(join(dataDir, "pg" + LOADING_MARKER_SUFFIX))).toBe(false);
    }, 60_000);
  }

  test("whose first load was cut short is loaded again from scratch", async () => {
    const dataDir = newDataDir();
    // What a kill halfway through the copy leaves: some of Postgres's files, and the marker.
    mkdirSync(join(dataDir, "pg"), { recursive: true });
    writeFileSync(join(dataDir, "pg", "PG_VERSION"), "18\n");
    writeFileSync(join(dataDir, "pg" + LOADING_MARKER_SUFFIX), "");
    const { log, lines } = recordingLogger();
    const database = await openDatabase({ databaseUrl: null, dataDir }, log, undefined, initialDatabase);
    try {
      expect(lines.map((l) => l.msg)).toContain(LOADED);
      expect(await appliedMigrations(database)).toBe(journal.entries.length - BEHIND);
    } finally {
      await database.close();
    }
  }, 60_000);
});

describe("an existing DATA_DIR", () => {
  test("opens as it is: its rows stay and nothing is loaded over it", async () => {
    const dataDir = newDataDir();
    const made = await openDatabase({ databaseUrl: null, dataDir }, undefined, undefined, null); // initdb, as before this change
    await made.migrate(MIGRATIONS_DIR);
    await made.db.insert(inboxes).values({ name: "Kept", publicKey: "pk_kept", identitySecret: "s" });
    await made.close();

    const { log, lines } = recordingLogger();
    const database = await openDatabase({ databaseUrl: null, dataDir }, log, undefined, initialDatabase);
    try {
      expect(lines).toEqual([]);
      expect(await appliedMigrations(database)).toBe(journal.entries.length);
      expect(await database.db.select({ name: inboxes.name }).from(inboxes)).toEqual([{ name: "Kept" }]);
    } finally {
      await database.close();
    }
  }, 60_000);
});
