// The delivery bench's two instances on one database and one Redis (A for the customers, B for
// the agents), the admin signed in on B, and the customers' sessions on A.
import { join } from "node:path";
import { startInstance, type Instance } from "../../src/testing/instance-process.ts";
import type { BenchRun } from "../support/bench-run.ts";
import { addresses } from "../support/machine.ts";
import { SHOP_ORIGIN } from "../support/workers.ts";

function boot(name: string, env: Record<string, string>, dataDir: string): Promise<Instance> {
  const command = process.env.BENCH_INSTANCE_ARGS?.split(" ");
  // The agents' worker opens one inbox socket per conversation, all from this machine's address.
  return startInstance({ name, dataDir, env: { TRUST_PROXY: "true", OPEN_AGENT_SOCKETS_PER_IP: "1000000", ...env }, readyTimeoutMs: 60_000, ...(command ? { command } : {}) });
}

/** `fn` over `items`, at most `limit` at a time; the results in the items' order. */
export async function parallel<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

/** The admin's password; the agents of team.ts have it too. */
export const BENCH_PASSWORD = "bench-password-1";

/**
 * A, then B (A migrates the database and creates the admin and the default inbox), and the admin's
 * session cookie on B. `single`: no B; A serves the agents too (b is a), still with Redis.
 */
export async function startInstances(run: BenchRun, redisUrl: string, extraEnv: Record<string, string> = {}, single = false): Promise<{ a: Instance; b: Instance; cookie: string; publicKey: string }> {
  const sql = run.sql!;
  const adminEmail = "bench@example.com";
  const adminPassword = BENCH_PASSWORD;
  const env = {
    DATABASE_URL: run.databaseUrl,
    REDIS_URL: redisUrl,
    SESSION_SECRET: `bench-${crypto.randomUUID()}-${crypto.randomUUID()}`,
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: adminPassword,
    ...extraEnv,
  };
  const a = await boot("A", env, join(run.dataDir, "a"));
  run.children.push(a.proc);
  // Only customer messages flow: no bot answers (conversations are queued at once).
  await sql`update inboxes set handoff_mode = 'immediate'`;
  const b = single ? a : await boot("B", env, join(run.dataDir, "b"));
  if (b !== a) run.children.push(b.proc);
  const [{ public_key: publicKey }] = (await sql`select public_key from inboxes order by created_at limit 1`) as unknown as [{ public_key: string }];

  const login = await fetch(`${b.origin}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: b.origin },
    body: new URLSearchParams({ email: adminEmail, password: adminPassword }).toString(),
  });
  const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("sd_session="));
  if (!cookie) throw new Error(`login on B failed: ${login.status}`);
  return { a, b, cookie, publicKey };
}

/** `count` customers' sessions on A, each from its own address, with a pre-granted message budget. */
export async function openCustomers(run: BenchRun, a: Instance, publicKey: string, count: number) {
  const ips = addresses(count);
  const customers = await parallel(ips, 16, async (ip) => {
    const res = await fetch(`${a.origin}/api/v1/widget/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: SHOP_ORIGIN, "x-forwarded-for": ip },
      body: JSON.stringify({ inbox: publicKey }),
    });
    if (res.status !== 200) throw new Error(`session: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { token: string; contact: { id: string } };
    return { ip, token: body.token, contactId: body.contact.id };
  });
  await run.grantMessageBudgets(customers);
  return customers;
}
