// The jobs queue (issue 14 items 1 and 8): how fast workers drain due jobs, and what scheduling one
// inside a transaction costs, on the embedded database (PGlite) and on PostgreSQL. First with a
// handler that does nothing (the queue's own cost: claiming, marking done, the JavaScript around
// it), then as real reply emails sent into an SMTP server in this process (jobs/email-drain.ts).
// It prints figures and asserts nothing.
//
//   bun run bench/jobs.ts
//
// Environment (all optional):
//   BENCH_JOBS     due jobs to drain per case (10000)
//   BENCH_BATCH    jobs a worker claims per pass (10, the worker's default)
//   BENCH_PG_URL   PostgreSQL server; a fresh database sd_bench_jobs_<random> is made there and dropped
//                  (postgres://postgres@127.0.0.1:5432/postgres); "off" runs PGlite only
import { sql } from "drizzle-orm";
import postgres from "postgres";
import type { Database } from "../src/db/database.ts";
import { createPGlite, pgliteDatabase } from "../src/db/pglite.ts";
import { postgresDatabase } from "../src/db/postgres.ts";
import { rowsOf } from "../src/db/rows.ts";
import { JobHandlers } from "../src/jobs/handlers.ts";
import { schedule } from "../src/jobs/schedule.ts";
import { JobWorker } from "../src/jobs/worker.ts";
import { createLogger } from "../src/log/logger.ts";
import { MIGRATIONS_DIR } from "../src/paths.ts";
import { drainEmailJobs } from "./jobs/email-drain.ts";
import { printMachine } from "./support/machine.ts";
import { dist, f0, f1, table, timed } from "./support/stats.ts";

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 10);
const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const KIND = "bench.noop";

/** The no-op case's µs per job, by case label: the queue's own share of an email job. */
const QUEUE_US = new Map<string, number>();
const log = createLogger({ level: "warn", format: "pretty" });

/** JOBS due jobs in one statement, as a backlog after an outage would look. */
async function seedDueJobs(database: Database): Promise<void> {
  await database.db.execute(sql`delete from jobs`);
  await database.db.execute(sql`
    insert into jobs (id, kind, payload, run_at)
    select gen_random_uuid(), ${KIND}, jsonb_build_object('n', n), now() - interval '1 minute'
    from generate_series(1, ${JOBS}::int) as n`);
  await database.db.execute(sql`analyze jobs`);
}

interface Drained {
  seconds: number;
  passes: number;
  /** Jobs run more than once: must be 0. */
  duplicates: number;
}

/** Each worker passes as fast as it can until a pass finds nothing; all of them side by side. */
async function drain(connections: Database[], workersPerConnection: number): Promise<Drained> {
  const seen = new Set<string>();
  let duplicates = 0;
  const handlers = new JobHandlers().register(KIND, async (job) => {
    if (seen.has(job.id)) duplicates++;
    seen.add(job.id);
  });
  const workers = connections.flatMap((c, i) =>
    Array.from({ length: workersPerConnection }, (_, j) => new JobWorker({ db: c.db, log, handlers, instance: `bench-${i}-${j}` }, { batch: BATCH })),
  );
  let passes = 0;
  const started = performance.now();
  await Promise.all(
    workers.map(async (worker) => {
      for (;;) {
        passes++;
        if ((await worker.pass()) === 0) return;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, passes, duplicates };
}

/** One schedule() inside a transaction that also writes nothing else: what it adds to the caller's transaction. */
async function scheduleCost(database: Database): Promise<[string, string][]> {
  const db = database.db;
  const empty = await timed(500, 50, () => db.transaction(async (tx) => void (await tx.execute(sql`select 1`))));
  const withJob = await timed(500, 50, () =>
    db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      await schedule(tx, "bench.scheduled", { conversationId: crypto.randomUUID() }, { runAt: new Date(Date.now() + 300_000) });
    }),
  );
  const a = dist(empty);
  const b = dist(withJob);
  return [
    ["transaction p50/p99 (ms)", `${a.p50.toFixed(2)} / ${a.p99.toFixed(2)}`],
    ["with schedule() p50/p99 (ms)", `${b.p50.toFixed(2)} / ${b.p99.toFixed(2)}`],
  ];
}

async function benchMode(name: string, primary: Database, extra: Database | null): Promise<string[][]> {
  const rows: string[][] = [];
  const cases: Array<[string, Database[], number]> = [[`${name}, 1 worker`, [primary], 1]];
  if (extra) cases.push([`${name}, 2 workers on 2 pools`, [primary, extra], 1], [`${name}, 4 workers on 2 pools`, [primary, extra], 2]);
  for (const [label, connections, perConnection] of cases) {
    await seedDueJobs(primary);
    const result = await drain(connections, perConnection);
    const [left] = rowsOf<{ n: number }>(await primary.db.execute(sql`select count(*)::int as n from jobs where status <> 'done'`));
    rows.push([
      label,
      f0(JOBS / result.seconds),
      f1((result.seconds * 1000 * 1000) / JOBS),
      String(result.passes),
      String(result.duplicates),
      String(left?.n),
    ]);
  }
  for (const [what, value] of await scheduleCost(primary)) console.log(`${name}: ${what}: ${value}`);
  for (const row of rows) QUEUE_US.set(row[0]!, Number(row[2]));
  return rows;
}

/** The same backlog as email.reply jobs, by the real handler: sent into the test SMTP server, then rendered and not sent. */
async function emailMode(name: string, primary: Database, extra: Database | null, queueUs: Map<string, number>): Promise<string[][]> {
  const rows: string[][] = [];
  const cases: Array<[string, Database[], number]> = [[`${name}, 1 worker`, [primary], 1]];
  if (extra) cases.push([`${name}, 4 workers on 2 pools`, [primary, extra], 2]);
  for (const [label, connections, perConnection] of cases) {
    const sent = await drainEmailJobs(connections, perConnection, JOBS, BATCH, log, true);
    const dry = await drainEmailJobs(connections, perConnection, JOBS, BATCH, log, false);
    const dryUs = (dry.seconds * 1e6) / JOBS;
    const queue = queueUs.get(label) ?? NaN;
    rows.push([label, f0(JOBS / sent.seconds), String(sent.mails), String(sent.twice), f0(JOBS / dry.seconds), f0(dryUs), f0(queue), f0(dryUs - queue)]);
  }
  return rows;
}

async function main(): Promise<void> {
  printMachine(`bench/jobs: draining ${JOBS} due jobs (batch ${BATCH}, a handler that does nothing)`, `bun ${Bun.version}`);
  const rows: string[][] = [];

  const lite = pgliteDatabase(await createPGlite());
  await lite.migrate(MIGRATIONS_DIR);
  rows.push(...(await benchMode("PGlite", lite, null)));
  const emailRows = await emailMode("PGlite", lite, null, QUEUE_US);
  await lite.close();

  if (PG_URL !== "off") {
    const name = `sd_bench_jobs_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    const primary = postgresDatabase(url.toString());
    const extra = postgresDatabase(url.toString());
    try {
      await primary.migrate(MIGRATIONS_DIR);
      rows.push(...(await benchMode("PostgreSQL", primary, extra)));
      emailRows.push(...(await emailMode("PostgreSQL", primary, extra, QUEUE_US)));
    } finally {
      await primary.close();
      await extra.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  }
  console.log();
  table(["case", "jobs/s", "µs per job", "passes", "run twice", "not done"], rows);
  console.log();
  console.log(`${JOBS} due email.reply jobs by the real handler: sent into an SMTP server in this process (pooled connections), then rendered but not sent:`);
  table(["case", "jobs/s sent", "emails", "emailed twice", "jobs/s not sent", "µs/job not sent", "of it the queue's", "handler's database + rendering µs/job"], emailRows);
}

await main();
