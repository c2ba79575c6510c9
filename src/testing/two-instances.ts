// Two real `supportdesk` processes on one fresh PostgreSQL database and one Redis, for the tests
// of what crosses between instances. Only with TEST_DATABASE_URL and TEST_REDIS_URL.
import { afterAll, beforeAll, expect } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { startInstance, type Instance } from "./instance-process.ts";
import { cookieFrom } from "./test-app.ts";
import { freshDatabase, testDatabaseUrl, type TestDatabase } from "./test-database.ts";

export const testRedisUrl = process.env.TEST_REDIS_URL?.trim() || null;
export const twoInstancesEnabled = testDatabaseUrl !== null && testRedisUrl !== null;

const BOOT_MS = 20_000;

/**
 * Instances A and B with `admin` seeded, and the admin signed in on B (`cookie`). Call it in a
 * describe block: it registers beforeAll (the boot) and afterAll (kill both, drop the database);
 * `state` is filled in once beforeAll has run.
 */
export function twoInstancesOnRedis(options: { secret: string; admin: { email: string; password: string }; env?: Record<string, string> }) {
  const state = {
    database: undefined as unknown as TestDatabase,
    sql: undefined as unknown as postgres.Sql,
    a: undefined as unknown as Instance,
    b: undefined as unknown as Instance,
    /** The default inbox's. */
    publicKey: "",
    cookie: "",
  };
  let dataDir = "";

  const boot = (name: string) =>
    startInstance({
      name,
      dataDir: join(dataDir, name.toLowerCase()),
      readyTimeoutMs: BOOT_MS,
      env: {
        DATABASE_URL: state.database.url!,
        REDIS_URL: testRedisUrl!,
        SESSION_SECRET: options.secret,
        ADMIN_EMAIL: options.admin.email,
        ADMIN_PASSWORD: options.admin.password,
        ...options.env,
      },
    });

  beforeAll(async () => {
    state.database = await freshDatabase();
    state.sql = postgres(state.database.url!, { max: 2, onnotice: () => {} });
    dataDir = mkdtempSync(join(tmpdir(), "sd-two-"));
    // One after the other: A migrates and seeds the database, B finds it ready (concurrent boots
    // are covered by the migration tests; here they would only slow each other down).
    state.a = await boot("A");
    state.b = await boot("B");
    [{ public_key: state.publicKey }] = (await state.sql`select public_key from inboxes where name = 'Website'`) as unknown as [{ public_key: string }];

    const login = await fetch(`${state.b.origin}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: state.b.origin },
      body: new URLSearchParams(options.admin).toString(),
    });
    expect(login.status).toBe(303);
    state.cookie = cookieFrom(login, "sd_session")!;
    expect(state.cookie).toBeString();
  }, 45_000);

  afterAll(async () => {
    const { a, b, sql, database } = state;
    for (const instance of [a, b]) {
      if (instance && instance.proc.exitCode === null && instance.proc.signalCode === null) instance.proc.kill(9);
    }
    await Promise.all([a?.proc.exited, b?.proc.exited]);
    await sql?.end({ timeout: 2 });
    await database?.close(); // drops the database
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 15_000);

  /** An agent verb on B, as the inbox page posts it. */
  function agentPost(path: string, form: Record<string, string> = {}) {
    return fetch(`${state.b.origin}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: state.b.origin, cookie: state.cookie },
      body: new URLSearchParams(form).toString(),
    });
  }

  return { state, agentPost };
}
