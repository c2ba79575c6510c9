// `supportdesk reset-password <email>`: the only admin forgot their password and there is no SMTP.
// The command runs as its own process on the server's database and prints a one-time link.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { agents } from "../db/schema/index.ts";
import type { Database } from "../db/database.ts";
import { migrate } from "../db/migrate.ts";
import { openDatabase } from "../db/open-database.ts";
import { silentLogger } from "../log/logger.ts";
import { freshDatabase, storageMode, type TestDatabase } from "../testing/test-database.ts";
import { resetLinkState } from "./password-reset.ts";

const main = join(import.meta.dir, "..", "main.ts");
const LINK = /^https:\/\/support\.example\.com\/reset-password\/([A-Za-z0-9_-]{43})$/m;

describe(`supportdesk reset-password (${storageMode})`, () => {
  let dataDir: string;
  let postgres: TestDatabase | null = null;
  /** The environment the server runs with: its database, and the address links start with. */
  let env: Record<string, string>;
  const open = async (): Promise<Database> => (postgres ? postgres : openDatabase({ dataDir, databaseUrl: null }, silentLogger, undefined, null));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "sd-reset-cli-"));
    if (storageMode === "postgres") postgres = await freshDatabase();
    env = { PUBLIC_URL: "https://support.example.com", DATA_DIR: dataDir, ...(postgres ? { DATABASE_URL: postgres.url! } : {}) };
    const db = await open();
    try {
      await migrate(db);
      await db.db.insert(agents).values([
        { name: "Ana", email: "ana@example.com", role: "admin", passwordHash: "x" },
        { name: "Old", email: "old@example.com", passwordHash: "x", deactivatedAt: new Date() },
      ]);
    } finally {
      if (!postgres) await db.close();
    }
  }, 60_000);
  afterAll(async () => {
    await postgres?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const run = (...args: string[]) =>
    Bun.spawn([process.execPath, main, ...args], { env: { ...process.env, ...env, LOG_LEVEL: "warn" }, stdout: "pipe", stderr: "pipe" });
  async function outcome(proc: ReturnType<typeof run>) {
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    return { stdout, stderr, code };
  }

  test("prints a one-time link for the address, which opens the reset page", async () => {
    const { stdout, stderr, code } = await outcome(run("reset-password", "Ana@Example.com"));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("A link for ana@example.com to choose a new password (it works once, for 1 hour):");
    const token = LINK.exec(stdout)?.[1];
    expect(token).toBeDefined();
    const db = await open();
    try {
      const state = await resetLinkState({ db: db.db }, token!);
      expect(state.state).toBe("open");
    } finally {
      if (!postgres) await db.close();
    }
  }, 60_000);

  test("an unknown or deactivated address: no link, exit code 1", async () => {
    const unknown = await outcome(run("reset-password", "nobody@example.com"));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no agent has the address nobody@example.com");
    expect(unknown.stdout).not.toContain("/reset-password/");
    const old = await outcome(run("reset-password", "old@example.com"));
    expect(old.code).toBe(1);
    expect(old.stderr).toContain("old@example.com is deactivated");
  }, 60_000);

  test("without an address it says how to use it", async () => {
    const { stderr, code } = await outcome(run("reset-password"));
    expect(code).toBe(2);
    expect(stderr).toContain("usage: supportdesk reset-password <email>");
  });

  test.skipIf(storageMode === "postgres")("while the server holds the embedded database, it says to stop the server", async () => {
    const running = await openDatabase({ dataDir, databaseUrl: null }, silentLogger, undefined, null);
    try {
      const { stderr, code } = await outcome(run("reset-password", "ana@example.com"));
      expect(code).toBe(1);
      expect(stderr).toContain("is in use by another SupportDesk process");
    } finally {
      await running.close();
    }
  }, 60_000);
});
