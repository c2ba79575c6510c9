// The agent inbox under load (issue 5): a database of 100,000 conversations and 1,000,000
// messages, 20 agents signed in and loading the inbox (`/inbox`, its tabs) and conversations
// (`/inbox/c/:id`, full pages) in a closed loop, while customers write 1,000 messages per second
// through the widget's socket. It prints the server time per route (p50/p95/p99/max, from the
// instance's own request log), what the agents' clients saw, the write rate achieved, request
// counts and errors. It prints figures and asserts nothing; the target is p95 <= 15 ms per route.
//
//   bun run bench/inbox.ts
//
// Environment (all optional):
//   BENCH_CONVERSATIONS   conversations (and contacts) seeded (100000)
//   BENCH_MESSAGES        messages seeded; a whole multiple of the conversations, at least 10 each (1000000)
//   BENCH_AGENTS          agents, each signed in and loading pages in a closed loop (20)
//   BENCH_THINK_MS        pause of each agent between two page loads, on average (uniform from half to
//                         one and a half times it); a list runs one measured phase per value (500,0):
//                         500 ms is a team working flat out, 0 (back to back) is the most the machine serves
//   BENCH_WRITE_RATE      customer messages per second during the run (1000)
//   BENCH_WRITERS         customer sockets the messages are spread over, one per open conversation (1000)
//   BENCH_SECONDS         length of each measured phase (30); a warm-up of BENCH_WARMUP_SECONDS (5) comes first
//   BENCH_AGENT_SOCKETS=0 agents without their inbox socket (by default each has one, as in a browser,
//                         and hears every list row push)
//   BENCH_VACUUM_SECONDS  VACUUM ANALYZE conversations this often during the run (10; 0: never), see below
//   BENCH_PG_URL          PostgreSQL server; a fresh database sd_bench_<random> is made there and dropped
//                         (postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_REDIS_URL       (redis://127.0.0.1:6379)
//   BENCH_INSTANCE_ARGS   command for the instance (default: this bun + src/main.ts)
//   BENCH_KEEP_DATABASE=1 keep the seeded database at the end (its URL is printed), e.g. for EXPLAIN
//   BENCH_DATABASE_URL    run on a database seeded (and kept) by an earlier run instead: no seeding,
//                         nothing dropped (it keeps the messages written by the earlier runs)
//
// One instance on PostgreSQL + Redis serves everything; its request log (LOG_FORMAT=json, one line
// per request with its duration in ms, from the app receiving the request to its response handed
// back to Bun) is the server time. The agents run in one child process and the customers in another, so that
// neither the orchestrator nor the other side's sockets slow them down; each reports its
// event-loop lag. All of it shares this machine's cores with the instance, PostgreSQL and Redis.
//
// Vacuum: every customer message updates its conversation's row (last_seq, last_activity_at), and
// last_activity_at is indexed, so each message leaves a dead row version and dead entries in the
// conversations indexes that the list queries must step over. Autovacuum removes them in
// production; the test server has `autovacuum = off` (its CI config), which would let them pile up
// for the whole run. So the bench vacuums the conversations table itself every 10 s, as autovacuum
// does on a busy database with autovacuum_naptime = 10s (each visit finds far more dead rows than
// its threshold), and counts the vacuum in the PostgreSQL CPU figure.
//
// Seeding is set-based SQL (generate_series, INSERT ... SELECT), in the shape the app writes:
// gapless seqs per conversation, each conversation's last_seq, last_activity_at and
// last_customer/agent_message_at matching its messages, events for what happened to it. Then
// VACUUM ANALYZE, as autovacuum would have done on a live database of that size.
//
// Rate limits: the customers' tokens are minted with the instance's SESSION_SECRET for seeded
// contacts (a returning visitor's token, which a real widget would hold), every customer comes
// from its own address (TRUST_PROXY=true and X-Forwarded-For from the 198.18.0.0/15 benchmarking
// range), and their message budgets are pre-granted in Redis (a large negative count under the
// limiter's key; deleted at the end). The limiter still runs per message, as in production.
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import type postgres from "postgres";
import { startInstance, type Instance } from "../src/testing/instance-process.ts";
import { signVisitorToken } from "../src/widget/visitor-token.ts";
import { agentsWorker, type AgentPlan } from "./inbox/agents-worker.ts";
import { customersWorker } from "./inbox/customers-worker.ts";
import { report, type Phase } from "./inbox/report.ts";
import { openDatabase } from "./inbox/database.ts";
import { BenchRun } from "./support/bench-run.ts";
import { addresses, cpuSeconds, machineCpu, pidsNamed, printMachine } from "./support/machine.ts";
import type { Worker } from "./support/workers.ts";

const ROOT = join(import.meta.dir, "..");

const config = {
  conversations: Number(process.env.BENCH_CONVERSATIONS ?? 100_000),
  messages: Number(process.env.BENCH_MESSAGES ?? 1_000_000),
  agents: Number(process.env.BENCH_AGENTS ?? 20),
  thinks: (process.env.BENCH_THINK_MS ?? "500,0").split(",").map(Number),
  writeRate: Number(process.env.BENCH_WRITE_RATE ?? 1000),
  writers: Number(process.env.BENCH_WRITERS ?? 1000),
  seconds: Number(process.env.BENCH_SECONDS ?? 30),
  warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 5),
  withSockets: process.env.BENCH_AGENT_SOCKETS !== "0",
  vacuumSeconds: Number(process.env.BENCH_VACUUM_SECONDS ?? 10),
  bodyBytes: 120,
};

async function printHeader(run: BenchRun) {
  const [{ version: pgVersion }] = (await run.admin`select version()`) as unknown as [{ version: string }];
  const settings = (await run.admin`select name, setting, unit from pg_settings where name in ('synchronous_commit', 'shared_buffers', 'max_connections', 'autovacuum')`) as unknown as {
    name: string;
    setting: string;
    unit: string | null;
  }[];
  const redisInfo = await run.redis.info("server");
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  printMachine(
    "SupportDesk inbox bench: agents load /inbox and /inbox/c/:id while customers write",
    `bun ${Bun.version}, ${pgVersion.split(" on ")[0]} (${settings.map((s) => `${s.name}=${s.setting}${s.unit ?? ""}`).join(", ")}), redis ${/redis_version:(\S+)/.exec(redisInfo)?.[1]}, ` +
      `elysia ${pkg.dependencies.elysia}, drizzle-orm ${pkg.dependencies["drizzle-orm"]}, postgres.js ${pkg.dependencies.postgres}`,
  );
  const c = config;
  console.log(
    `workload: ${c.conversations} conversations, ${c.messages} messages; ${c.agents} agents in a closed loop (think ${c.thinks.join(" ms, then ")} ms${c.withSockets ? "; each with its inbox socket" : ""}); ` +
      `${c.writeRate} customer msgs/s over ${c.writers} conversations; ${c.warmupSeconds} s warm-up, ${c.seconds} s measured per phase; ` +
      (c.vacuumSeconds > 0 ? `VACUUM conversations every ${c.vacuumSeconds} s` : "no VACUUM during the run"),
  );
}

/** One phase: the agents load pages and the customers write for `secs`, with the CPU each process used. */
async function measure(sql: postgres.Sql, instance: Instance, workers: { agents: Worker; customers: Worker }, phase: { name: string; secs: number; thinkMs: number; open: string[]; closed: string[] }): Promise<Phase> {
  // Every backend of this database, the orchestrator's own included (it runs the vacuums).
  const pgPids = ((await sql`select pid from pg_stat_activity where datname = current_database()`) as unknown as { pid: number }[]).map((r) => r.pid);
  const tracked = [instance.proc.pid, pgPids, pidsNamed("redis-server"), workers.agents.proc.pid, workers.customers.proc.pid];
  const cpuOf = () => tracked.map((p) => (Array.isArray(p) ? p.reduce((sum, pid) => sum + cpuSeconds(pid), 0) : cpuSeconds(p)));
  const cpu0 = cpuOf();
  const box0 = machineCpu();
  const started = Date.now();
  let vacuuming = Promise.resolve();
  const vacuums =
    config.vacuumSeconds > 0
      ? setInterval(() => {
          vacuuming = vacuuming.then(() => sql.unsafe("vacuum (analyze) conversations").then(() => {}));
        }, config.vacuumSeconds * 1000)
      : null;
  const [reads, writes] = await Promise.all([
    workers.agents.call("run", { base: instance.origin, seconds: phase.secs, thinkMs: phase.thinkMs, open: phase.open, closed: phase.closed }),
    workers.customers.call("run", { name: phase.name, rate: config.writeRate, seconds: phase.secs, bodyBytes: config.bodyBytes }),
  ]);
  if (vacuums) clearInterval(vacuums);
  await vacuuming;
  const elapsed = (Date.now() - started) / 1000;
  const cpu1 = cpuOf();
  const box1 = machineCpu();
  const ours = cpu1.map((v, i) => ((v - cpu0[i]!) / elapsed) * 100);
  const box = ((box1.busy - box0.busy) / Math.max(1, box1.total - box0.total)) * 100 * cpus().length;
  // Rows the writes created in the window (they are the only messages written now).
  const [{ n: rows }] = (await sql`select count(*)::int as n from messages where created_at >= ${new Date(writes.start)} and created_at < ${new Date(writes.end)}`) as unknown as [{ n: number }];
  return { reads, writes, rows, cpu: [...ours, box], window: { from: Math.min(reads.started, writes.start), to: Math.max(reads.ended, writes.end) } };
}

async function orchestrate() {
  if (!Number.isInteger(config.messages / config.conversations) || config.messages / config.conversations < 10) {
    throw new Error("BENCH_MESSAGES must be a whole multiple of BENCH_CONVERSATIONS, at least 10 per conversation");
  }
  const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
  const run = new BenchRun("inbox", {
    pgUrl: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    redisUrl,
    existingDatabaseUrl: process.env.BENCH_DATABASE_URL ?? null,
    keepDatabase: process.env.BENCH_KEEP_DATABASE === "1",
  });
  try {
    await printHeader(run);
    const { sql, seeded } = await openDatabase(run, config);

    // --- the instance ---
    const sessionSecret = `bench-${crypto.randomUUID()}-${crypto.randomUUID()}`;
    const command = process.env.BENCH_INSTANCE_ARGS?.split(" ");
    const instance = await startInstance({
      name: "instance",
      dataDir: join(run.dataDir, "instance"),
      env: { DATABASE_URL: run.databaseUrl, REDIS_URL: redisUrl, SESSION_SECRET: sessionSecret, TRUST_PROXY: "true", LOG_LEVEL: "info", LOG_FORMAT: "json" },
      readyTimeoutMs: 60_000,
      ...(command ? { command } : {}),
    });
    run.children.push(instance.proc);

    // --- who loads what, who writes where ---
    const open = (await sql`select id, assignee_id, contact_id, status from conversations where status in ('queued', 'assigned') order by random()`) as unknown as {
      id: string;
      assignee_id: string | null;
      contact_id: string;
      status: string;
    }[];
    const closed = ((await sql`select id from conversations where status = 'closed' order by random() limit 5000`) as unknown as { id: string }[]).map((r) => r.id);
    const ips = addresses(config.agents + config.writers);
    const plans: AgentPlan[] = seeded.agents.map((a, i) => ({
      email: a.email,
      password: a.password,
      ip: ips[i]!,
      mine: open.filter((o) => o.assignee_id === a.id).map((o) => o.id),
    }));
    const customers = open.slice(0, config.writers).map((o, i) => ({
      ip: ips[config.agents + i]!,
      contactId: o.contact_id,
      token: signVisitorToken(sessionSecret, { inboxId: seeded.inboxId, contactId: o.contact_id }),
    }));
    await run.grantMessageBudgets(customers);

    const workers = { agents: run.spawnWorker(import.meta.path, "agents"), customers: run.spawnWorker(import.meta.path, "customers") };
    const t = performance.now();
    await workers.agents.call("connect", { base: instance.origin, plans, withSockets: config.withSockets });
    await workers.customers.call("connect", { base: instance.origin, customers });
    console.log(
      `setup: ${config.agents} agents signed in${config.withSockets ? " with their inbox sockets" : ""}, ${customers.length} customer sockets ready in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const phase = { open: open.map((o) => o.id), closed };
    // Client ids unique to this run: a database kept from an earlier run already has that run's.
    const runId = crypto.randomUUID().slice(0, 8);
    // A short unreported run so that JIT, pools and prepared statements are warm.
    if (config.warmupSeconds > 0) await measure(sql, instance, workers, { ...phase, name: `${runId}w`, secs: config.warmupSeconds, thinkMs: config.thinks[0]! });
    const verdicts: string[] = [];
    for (const [i, thinkMs] of config.thinks.entries()) {
      await Bun.sleep(1000);
      const measured = await measure(sql, instance, workers, { ...phase, name: `${runId}m${i}`, secs: config.seconds, thinkMs });
      await Bun.sleep(500); // the last log lines
      verdicts.push(...report(instance, measured, thinkMs));
    }
    console.log("");
    for (const v of verdicts) console.log(v);
  } finally {
    await run.end();
  }
}

const roleIndex = process.argv.indexOf("--worker");
if (roleIndex >= 0) {
  const role = process.argv[roleIndex + 1];
  if (role === "agents") await agentsWorker();
  else if (role === "customers") await customersWorker();
  else throw new Error(`unknown worker ${role}`);
} else {
  await orchestrate();
  process.exit(0);
}
