import { readdirSync, readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import postgres from "postgres";
import { postgresDatabase } from "../src/db/postgres.ts";
import { MIGRATIONS_DIR } from "../src/paths.ts";

// What the benchmark scripts share: percentiles, timed runs, an event-loop lag meter, the worker
// processes and their IPC, sockets, CPU accounting, table printing, and a fresh database seeded
// for a run. Figures only; nothing here asserts.

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Dist {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

export function dist(values: number[]): Dist {
  const s = Float64Array.from(values).sort();
  const a = Array.from(s);
  return { n: a.length, p50: percentile(a, 50), p95: percentile(a, 95), p99: percentile(a, 99), p999: percentile(a, 99.9), max: a.at(-1) ?? NaN };
}

/** Calls `fn` `warmups` times untimed, then `runs` times timed: the milliseconds of each timed call. */
export async function timed(runs: number, warmups: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmups; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  return ms;
}

/** Event-loop lag: how late a 5 ms interval fires. */
export class LagMeter {
  private samples: number[] = [];
  private last = performance.now();
  private readonly timer = setInterval(() => {
    const t = performance.now();
    this.samples.push(Math.max(0, t - this.last - 5));
    this.last = t;
  }, 5);
  take(): { p99: number; max: number } {
    const d = dist(this.samples);
    this.samples = [];
    return { p99: d.p99, max: d.max };
  }
  stop() {
    clearInterval(this.timer);
  }
}

export type Msg = Record<string, any>;

/** Child side of the IPC: answers the orchestrator's commands, one at a time. */
export function serve(handlers: Record<string, (msg: Msg) => Promise<Msg> | Msg>) {
  let chain = Promise.resolve();
  process.on("message", (msg: Msg) => {
    chain = chain.then(async () => {
      try {
        process.send!({ id: msg.id, ok: true, ...(await handlers[msg.cmd]!(msg)) });
      } catch (err) {
        process.send!({ id: msg.id, ok: false, error: err instanceof Error ? err.stack : String(err) });
      }
    });
  });
  process.on("disconnect", () => process.exit(0));
}

export function waitUntil(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + timeoutMs;
    const tick = () => {
      if (done()) return resolve();
      if (performance.now() > deadline) return reject(new Error(`timed out: ${what}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}

/** Set while a run ends, so that sockets closing then are not reported as failures. */
export const run = { closing: false };

export function openSocket(url: string, headers: Record<string, string>, onMessage: (data: string) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers } as unknown as string[]);
    ws.onmessage = (e) => onMessage(e.data as string);
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`socket ${url} failed`));
    ws.onclose = (e) => {
      if (!run.closing) console.error(`bench: a socket to ${url} closed (${e.code} ${e.reason})`);
    };
  });
}

export interface Worker {
  proc: Bun.Subprocess;
  call(cmd: string, args?: Msg): Promise<Msg>;
}

/** Starts `script` again as a worker process with this role, and calls it over IPC. */
export function spawnWorker(script: string, role: string): Worker {
  const pending = new Map<number, { resolve: (m: Msg) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const proc = Bun.spawn([process.execPath, "run", script, "--worker", role], {
    stdout: "inherit",
    stderr: "inherit",
    ipc(msg: Msg) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (!p) return;
      if (msg.ok) p.resolve(msg);
      else p.reject(new Error(`${role} worker: ${msg.error}`));
    },
  });
  return {
    proc,
    call(cmd, args = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        proc.send({ id, cmd, ...args });
      });
    },
  };
}

/** CPU seconds (user + system) a process has used so far; 0 if it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** All processes named like `name`. */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim().startsWith(name)) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

/** Busy and total jiffies of the whole machine. */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).slice(1).map(Number);
  const idle = line[3]! + line[4]!;
  const total = line.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** The machine's load averages over 1, 5 and 15 minutes, e.g. "1.42 2.34 2.20". */
export const loadAverages = () => loadavg().map((l) => l.toFixed(2)).join(" ");

export const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "-");
export const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "-");

export function table(head: string[], rows: string[][]) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
  console.log(fmt(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(fmt(r));
}

// =============================================================================================
// A seeded PostgreSQL database
// =============================================================================================

export interface SeededDatabase {
  /** The database's URL. */
  url: string;
  /** `close` runs when the bench ends, before the database is dropped (in the order given). */
  onEnd(close: () => Promise<unknown>): void;
}

/**
 * A bench over a seeded database, as BENCH_PG_URL, BENCH_DATABASE_URL and BENCH_KEEP say (see a
 * bench's header): prints `title`, the machine and the versions; makes a fresh database
 * sd_bench_<random>, migrates it and seeds it with `seed` over one connection, then VACUUM ANALYZE,
 * and prints `seed: ` with what `seed` returns and the time both took; or uses BENCH_DATABASE_URL's
 * database as it is. Then runs `bench` on it, and at its end (also on Ctrl-C) closes what `bench`
 * gave to `onEnd` and drops the fresh database (with BENCH_KEEP=1 it keeps it and prints its URL).
 */
export async function onSeededDatabase(
  title: string,
  seed: (sql: postgres.Sql) => Promise<string>,
  bench: (database: SeededDatabase) => Promise<void>,
): Promise<void> {
  const pgUrl = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const existing = process.env.BENCH_DATABASE_URL ?? null;
  const keep = process.env.BENCH_KEEP === "1";
  const dbName = `sd_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
  let url = existing;
  const closers: (() => Promise<unknown>)[] = [];

  const cleanup = async () => {
    for (const close of closers) await close();
    if (!existing && keep && url) console.log(`kept: BENCH_DATABASE_URL=${url}`);
    else if (!existing) await admin.unsafe(`drop database if exists "${dbName}" with (force)`).catch((e: Error) => console.error(`drop ${dbName}: ${e.message}`));
    await admin.end({ timeout: 2 });
  };
  process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));

  try {
    const [{ version }] = (await admin`select version()`) as unknown as [{ version: string }];
    console.log(title);
    console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load ${loadAverages()}`);
    console.log(`versions: bun ${Bun.version}, ${version.split(" on ")[0]}`);

    if (!url) {
      await admin.unsafe(`create database "${dbName}"`);
      const u = new URL(pgUrl);
      u.pathname = `/${dbName}`;
      url = u.toString();
      const migrating = postgresDatabase(url, { max: 1 });
      await migrating.migrate(MIGRATIONS_DIR);
      await migrating.close();
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      const started = performance.now();
      const seeded = await seed(sql);
      // The seed's dead rows (a table it inserts and then updates) gone, the planner's statistics fresh.
      await sql.unsafe("vacuum analyze");
      await sql.end();
      console.log(`seed: ${seeded}, in ${((performance.now() - started) / 1000).toFixed(1)} s (with VACUUM ANALYZE)`);
    } else {
      console.log(`database: ${new URL(url).pathname.slice(1)} (existing, not seeded)`);
    }

    await bench({ url, onEnd: (close) => void closers.push(close) });
  } finally {
    await cleanup();
  }
}

/**
 * What a seeded desk starts from, in the seed's transaction: the function pg_temp.uuid7(at), for
 * ids as the app's (UUIDv7, time first, so that a table's key order follows its insert order;
 * random v4 ids would give the planner a layout no real database has); `agents` agents
 * (agent<i>@bench.example, made `days` + 30 days ago; the last two left the team last week, their
 * work in the range still counts); and one inbox (public key pk_bench_<random>).
 */
export async function seedTeam(tx: postgres.TransactionSql, size: { days: number; agents: number }): Promise<void> {
  const { days, agents } = size;
  await tx.unsafe(`
    create function pg_temp.uuid7(at timestamptz) returns uuid language sql volatile as $$
      select (lpad(to_hex((extract(epoch from at) * 1000)::bigint), 12, '0') || '7' || substr(md5(random()::text), 1, 3)
        || substr('89ab', 1 + floor(random() * 4)::int, 1) || substr(md5(random()::text), 1, 15))::uuid
    $$`);
  await tx.unsafe(`
    insert into agents (id, email, name, role, password_hash, deactivated_at, created_at)
    select pg_temp.uuid7(now() - interval '${days + 30} days'), 'agent' || i || '@bench.example', 'Agent ' || i, 'agent', 'x',
      case when i > ${agents - 2} then now() - interval '7 days' end,
      now() - interval '${days + 30} days'
    from generate_series(1, ${agents}) i`);
  await tx.unsafe(`
    insert into inboxes (id, public_key, name, identity_secret)
    values (pg_temp.uuid7(now() - interval '${days + 30} days'), 'pk_bench_' || md5(random()::text), 'Bench', 'secret')`);
}
