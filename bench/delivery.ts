// Delivery across two instances: customer sockets on instance A, agent sockets on instance B,
// so every message takes the Redis hop (notes/reliability-performance.md §2.8 P1/P2). For each
// step of an increasing offered rate it prints the send -> agent-receipt latency, messages lost
// (acked, never delivered to the agent), duplicated (delivered twice), acks missing, and the rate
// at which rows were persisted. It prints figures and asserts nothing.
//
//   bun run bench/delivery.ts
//
// Environment (all optional):
//   BENCH_INSTANCES=1     one instance serves customers and agents (still on Redis): the message path
//                         without the hop between instances, as one Socket.IO server would serve it
//   BENCH_CONVERSATIONS   conversations, each with one customer socket on A and one agent of its own with a socket on B (100)
//   BENCH_INBOX_TABS      the tabs the agents' inbox lists show, tab:weight,... (mine:2,queue:1,open:1; see delivery/team.ts)
//   BENCH_TICKET_PAGES    agent sockets on the tickets page besides, counting what they receive (10)
//   BENCH_RATES           offered msgs/s, one step each (500,1000,2000,3000,4000,5000,6000)
//   BENCH_STEP_SECONDS    seconds of sending per step (10)
//   BENCH_WARMUP_SECONDS  seconds of an unreported run at the first step's rate before the steps (10)
//   BENCH_BODY_BYTES      message body size (200)
//   BENCH_PG_URL          PostgreSQL server; a fresh database sd_bench_<random> is made there and dropped
//                         (postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_DATABASE_URL    use this existing database instead (migrated by the instances, not dropped)
//   BENCH_REDIS_URL       (redis://127.0.0.1:6379)
//   BENCH_INSTANCE_ARGS   command for an instance (default: this bun + src/main.ts)
//   BENCH_INSTANCE_ENV    a JSON object of extra variables for both instances (bench/observability-overhead.ts
//                         turns metrics and tracing on with it)
//   BENCH_RESULTS_FILE    also write the steps' results there as JSON (for a script that runs this one)
//   BENCH_CONTINUE_PAST_OVERLOAD=1  run the higher steps even after one left acks missing (each then
//                         waits for its backlog first); by default they are skipped
//
// The clients run in two child processes of this script (customers, agents) so that neither the
// orchestrator nor one side's sockets slow the other down; each reports its event-loop lag. They
// share this machine's cores with both instances, PostgreSQL and Redis (as the notes prescribe).
// Latency runs from the customer's ws.send() to the agent socket's receipt of the partial that
// holds the message: a difference of `performance.timeOrigin + performance.now()` of two
// processes, whose agreement is checked and printed.
//
// Rate limits: the widget's limits (60 msgs/min per visitor, 300 per IP) would refuse a
// benchmark. Every customer gets its own address (TRUST_PROXY=true and X-Forwarded-For from the
// 198.18.0.0/15 benchmarking range), and this script pre-grants each customer's and address's
// message budget in Redis (a large negative count under the limiter's key; the keys are deleted
// at the end). The limiter still runs its Redis script twice per message, as in production.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { agentsWorker } from "./delivery/agents-worker.ts";
import { customersWorker } from "./delivery/customers-worker.ts";
import { printReport } from "./delivery/report.ts";
import { BENCH_PASSWORD, openCustomers, parallel, startInstances } from "./delivery/setup.ts";
import { describeTabs, inboxTabs, signInAgents } from "./delivery/team.ts";
import { runStep, type StepContext, type StepResult } from "./delivery/step.ts";
import { GRACE_MS } from "./delivery/targets.ts";
import { BenchRun } from "./support/bench-run.ts";
import { printMachine } from "./support/machine.ts";

const ROOT = join(import.meta.dir, "..");
const TICKET_PAGES = Number(process.env.BENCH_TICKET_PAGES ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);

async function orchestrate() {
  const N = Number(process.env.BENCH_CONVERSATIONS ?? 100);
  const single = process.env.BENCH_INSTANCES === "1";
  const rates = (process.env.BENCH_RATES ?? "500,1000,2000,3000,4000,5000,6000").split(",").map(Number);
  const seconds = Number(process.env.BENCH_STEP_SECONDS ?? 10);
  const bodyBytes = Number(process.env.BENCH_BODY_BYTES ?? 200);
  const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
  const continuePastOverload = process.env.BENCH_CONTINUE_PAST_OVERLOAD === "1";
  const run = new BenchRun("delivery", {
    pgUrl: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    redisUrl,
    existingDatabaseUrl: process.env.BENCH_DATABASE_URL ?? null,
  });

  try {
    // --- header ---
    const [{ version: pgVersion }] = (await run.admin`select version()`) as unknown as [{ version: string }];
    const [{ setting: syncCommit }] = (await run.admin`select setting from pg_settings where name = 'synchronous_commit'`) as unknown as [{ setting: string }];
    const redisInfo = await run.redis.info("server");
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    printMachine(
      single ? "SupportDesk delivery bench: customers and agents on one instance A (on Redis, delivered locally)" : "SupportDesk delivery bench: customers on instance A, agents on instance B (every push crosses Redis)",
      `bun ${Bun.version}, ${pgVersion.split(" on ")[0]} (synchronous_commit=${syncCommit}), redis ${/redis_version:(\S+)/.exec(redisInfo)?.[1]}, ` +
        `elysia ${pkg.dependencies.elysia}, postgres.js ${pkg.dependencies.postgres}, ioredis ${pkg.dependencies.ioredis}`,
    );
    console.log(`workload: ${N} conversations (${N} customer sockets on A, ${N} agent sockets on ${single ? "A" : "B"}), ${bodyBytes} B bodies, steps ${rates.join(", ")} msgs/s x ${seconds} s, grace ${GRACE_MS / 1000} s`);

    // --- database, instances, customers ---
    if (!run.existing) await run.createDatabase();
    const sql = (run.sql = postgres(run.databaseUrl, { max: 2, onnotice: () => {} }));
    const instanceEnv = JSON.parse(process.env.BENCH_INSTANCE_ENV ?? "{}") as Record<string, string>;
    const { a, b, cookie, publicKey } = await startInstances(run, redisUrl, instanceEnv, single);
    console.log(single ? `instance: A ${a.origin}` : `instances: A ${a.origin}, B ${b.origin}`);
    const tabs = inboxTabs(N);
    const cookies = await signInAgents(run, b, N, BENCH_PASSWORD);
    console.log(`agents: ${N}, each with one conversation of its own open, their lists on the tabs ${describeTabs(tabs)} (BENCH_INBOX_TABS)`);
    const customers = await openCustomers(run, a, publicKey, N);

    const customersW = run.spawnWorker(import.meta.path, "customers");
    const agentsW = run.spawnWorker(import.meta.path, "agents");
    const t0 = performance.now();
    const { conversations } = await customersW.call("connect", { base: a.origin, customers });
    // Each agent takes its conversation (claims on B), then follows it on its socket.
    await parallel(conversations as string[], 8, async (id, i) => {
      const res = await fetch(`${b.origin}/inbox/c/${id}/claim`, { method: "POST", headers: { origin: b.origin, cookie: cookies[i]! } });
      if (res.status !== 200) throw new Error(`claim ${id}: ${res.status}`);
    });
    await agentsW.call("connect", { base: b.origin, cookie, cookies, inboxTabs: tabs, origin: b.origin, conversations, ticketPages: TICKET_PAGES });

    // Warm-up: one message per conversation until every agent socket has seen one (this also
    // proves that each `view` took effect, which has no reply of its own).
    let missing: number[] | undefined;
    for (let round = 0; round < 10 && (missing === undefined || missing.length); round++) {
      await customersW.call("warmup", { round, only: missing });
      await Bun.sleep(300);
      ({ missing } = await agentsW.call("warmStatus", { count: N }));
    }
    if (missing?.length) throw new Error(`agent sockets never received a warm-up message: ${missing.length}`);
    console.log(`setup: ${N} conversations created, claimed and followed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // Clocks of the two client processes (latency is a difference across them).
    const skews: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [c, g] = [await customersW.call("clock"), await agentsW.call("clock")];
      skews.push(Math.abs(c.t - g.t));
    }
    console.log(`clock agreement of the two client processes: ${(Math.min(...skews) * 1000).toFixed(0)} µs (includes an IPC round trip)`);

    const ctx: StepContext = { sql, a, b, customersW, agentsW, bodyBytes, databaseUrl: run.databaseUrl, conversations: N };
    // An unreported run at the first step's rate, so that pools are full and the engine has compiled
    // the message path: fresh instances spent 18% of a core in JavaScriptCore's compiler threads
    // through a first 10 s step at 1,000 msgs/s, and a step right after it had a 3-4 ms lower median.
    await runStep(ctx, -1, rates[0]!, WARMUP_SECONDS);
    await customersW.call("drain", { timeoutMs: 60_000 });
    // Each message updates its conversation's row; the test server runs without autovacuum, which
    // in production would clear the dead row versions the warm-up left.
    await sql`vacuum analyze conversations`;

    const results: StepResult[] = [];
    const skipped: number[] = [];
    for (let s = 0; s < rates.length; s++) {
      const r = await runStep(ctx, s, rates[s]!, seconds);
      results.push(r);
      if (r.ackMissing > 0) {
        // Overloaded: the server still holds a backlog, which would bleed into the next step.
        const { done, ms } = await customersW.call("drain", { timeoutMs: 180_000 });
        const settled = await agentsW.call("settle", { timeoutMs: GRACE_MS });
        console.error(
          `  backlog of step ${r.rate}/s ${done ? `drained (every message acked) in ${(ms / 1000).toFixed(1)} s` : "NOT drained after 180 s"}; ` +
            `then delivered to the agents: ${settled.delivered}/${Math.round(r.rate * seconds)}, duplicated ${settled.duplicated}`,
        );
        if (!continuePastOverload) {
          skipped.push(...rates.slice(s + 1));
          break;
        }
      }
      await Bun.sleep(1000);
    }
    printReport(results, skipped, N);
    if (process.env.BENCH_RESULTS_FILE) await Bun.write(process.env.BENCH_RESULTS_FILE, JSON.stringify(results));
  } finally {
    await run.end();
  }
}

const roleIndex = process.argv.indexOf("--worker");
if (roleIndex >= 0) {
  const role = process.argv[roleIndex + 1];
  if (role === "customers") await customersWorker();
  else if (role === "agents") await agentsWorker();
  else throw new Error(`unknown worker ${role}`);
} else {
  await orchestrate();
  process.exit(0);
}
