// A fresh, migrated database for each test file, in the storage mode the run asks for:
// PostgreSQL when TEST_DATABASE_URL is set, PGlite otherwise. Both copy a template migrated once,
// because initdb (PGlite) and running every migration (PostgreSQL) are the slow parts.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import type { Database } from "../db/database.ts";
import { createPGlite, pgliteDatabase } from "../db/pglite.ts";
import { postgresDatabase } from "../db/postgres.ts";
import { observingPglite, type StatementObserver } from "../db/statement-observer.ts";
import { MIGRATIONS_DIR } from "../paths.ts";

export const testDatabaseUrl = process.env.TEST_DATABASE_URL?.trim() || null;
export const storageMode: Database["kind"] = testDatabaseUrl ? "postgres" : "pglite";

let pgliteTemplate: Promise<Blob> | undefined;

function migratedPgliteTemplate(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const client = await createPGlite();
    await pgliteDatabase(client).migrate(MIGRATIONS_DIR);
    const dump = await client.dumpDataDir("none");
    await client.close();
    return dump;
  })();
  return pgliteTemplate;
}

/** The template's name changes with the migrations, so an edited schema never reuses an old one. */
function templateName(): string {
  const journal = readFileSync(join(MIGRATIONS_DIR, "meta/_journal.json"));
  return `sd_template_${createHash("sha256").update(journal).digest("hex").slice(0, 12)}`;
}

/** The same server and credentials as `base`, another database. */
export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

let postgresTemplate: Promise<string> | undefined;

function migratedPostgresTemplate(admin: postgres.Sql, base: string): Promise<string> {
  postgresTemplate ??= (async () => {
    const name = templateName();
    // Two test processes may start at once; the advisory lock makes the second wait for the first.
    await admin`select pg_advisory_lock(724011302)`;
    try {
      const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
      if (!exists) {
        // Built under another name and renamed when complete: a run killed halfway never
        // leaves a half-migrated template for the next run to copy.
        const building = `${name}_building`;
        await admin.unsafe(`drop database if exists "${building}"`);
        await admin.unsafe(`create database "${building}"`);
        const db = postgresDatabase(databaseUrl(base, building), { max: 1 });
        try {
          await db.migrate(MIGRATIONS_DIR);
        } finally {
          await db.close();
        }
        await admin.unsafe(`alter database "${building}" rename to "${name}"`);
      }
    } finally {
      await admin`select pg_advisory_unlock(724011302)`;
    }
    return name;
  })();
  return postgresTemplate;
}

let counter = 0;

export interface TestDatabase extends Database {
  /** For tests that must reach the same database through another process (the binary, a second app). */
  url: string | null;
}

/** Call in beforeAll and close() in afterAll. `statements`: the metrics' observer of the app's statements. */
export async function freshDatabase(options: { statements?: StatementObserver } = {}): Promise<TestDatabase> {
  const { statements } = options;
  if (!testDatabaseUrl) {
    const client = await createPGlite({ loadDataDir: await migratedPgliteTemplate() });
    return { ...pgliteDatabase(statements ? observingPglite(client, statements) : client), url: null };
  }
  const admin = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
  try {
    const template = await migratedPostgresTemplate(admin, testDatabaseUrl);
    const name = `sd_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    await admin.unsafe(`create database "${name}" template "${template}"`);
    const url = databaseUrl(testDatabaseUrl, name);
    const db = postgresDatabase(url, { statements });
    return {
      ...db,
      url,
      async close() {
        await db.close();
        const dropper = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
        await dropper.unsafe(`drop database if exists "${name}" with (force)`);
        await dropper.end();
      },
    };
  } finally {
    await admin.end();
  }
}
