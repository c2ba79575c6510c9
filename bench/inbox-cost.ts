// What one inbox page costs, in figures that a busy machine does not move much: the statements
// it sends (at the driver, the session's lookup included), what PostgreSQL reads for its own
// statement (EXPLAIN (ANALYZE, BUFFERS) of the generic plan, which prepared statements settle on:
// buffers touched, rows), and the CPU this process spends per request (app.handle, in-process,
// median of alternating rounds) and on rendering alone. Wall-clock times of bench/inbox.ts move
// with the machine's load; these are for comparing two builds on a shared machine.
//
//   BENCH_DATABASE_URL=<a database seeded and kept by bench/inbox.ts> bun run bench/inbox-cost.ts
//
// Environment: BENCH_ROUNDS (5) rounds of BENCH_REQUESTS (200) requests per page; the agent is
// agent3@bench.example; BENCH_PLAN=<page, as printed> also prints that page's plan. Nothing is
// written but the agent's session row.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { createApp } from "../src/app.ts";
import { createAppServices, type AppContext } from "../src/app-context.ts";
import { parseConfig } from "../src/config.ts";
import * as service from "../src/conversations/service.ts";
import { postgresDatabase } from "../src/db/postgres.ts";
import { createLogger } from "../src/log/logger.ts";
import { createMetrics } from "../src/metrics/prometheus-metrics.ts";
import { createRealtime } from "../src/realtime/realtime.ts";
import { SocketRegistry } from "../src/realtime/socket-registry.ts";
import { countSentStatements } from "../src/testing/statements.ts";
import { ConversationPane } from "../views/conversations/conversation-pane.tsx";
import { InboxPage } from "../views/inbox/inbox-page.tsx";
import type { Tab } from "../src/conversations/model.ts";

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error("BENCH_DATABASE_URL: a database seeded by bench/inbox.ts (BENCH_KEEP_DATABASE=1 prints it)");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const ORIGIN = "http://localhost:3000";

// The app as boot.ts wires it, on this database, without Redis; metrics on, to count statements.
const metrics = createMetrics();
const database = postgresDatabase(url, { statements: metrics });
const dataDir = mkdtempSync(join(tmpdir(), "sd-inbox-cost-"));
const config = parseConfig({ PUBLIC_URL: ORIGIN, DATA_DIR: dataDir, LOG_LEVEL: "warn" });
const log = createLogger({ level: "warn", format: "json" }, () => {});
const realtime = await createRealtime(config, log, metrics);
const services = createAppServices(config, realtime, database.db, log, {}, metrics);
const ctx: AppContext = {
  config,
  database,
  log,
  metrics,
  sessionSecret: `bench-${crypto.randomUUID()}-${crypto.randomUUID()}`,
  redis: null,
  sockets: new SocketRegistry(),
  ...realtime.services,
  ...services.services,
};
const app = createApp(ctx);

const sql = postgres(url, { max: 1, onnotice: () => {} });
const [agent] = (await sql`select id, name, role from agents where email = 'agent3@bench.example'`) as unknown as { id: string; name: string; role: string }[];
if (!agent) throw new Error("BENCH_DATABASE_URL: not a database seeded by bench/inbox.ts");
const signIn = await app.handle(
  new Request(`${ORIGIN}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
    body: new URLSearchParams({ email: "agent3@bench.example", password: "bench-password-3" }).toString(),
  }),
);
const cookie = signIn.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("sd_session="));
if (!cookie) throw new Error(`sign-in failed: ${signIn.status}`);
const [mine] = (await sql`select id from conversations where status = 'assigned' and assignee_id = ${agent.id} order by last_activity_at desc limit 1`) as unknown as { id: string }[];

const PAGES: { name: string; path: string; hx?: boolean }[] = [
  ...(["open", "mine", "queue", "closed"] as const).map((tab) => ({ name: `/inbox?tab=${tab}`, path: `/inbox?tab=${tab}` })),
  { name: "/inbox/list?tab=open", path: "/inbox/list?tab=open" },
  { name: "/inbox/c/:id (page)", path: `/inbox/c/${mine!.id}` },
  { name: "/inbox/c/:id (htmx)", path: `/inbox/c/${mine!.id}`, hx: true },
];

async function get(page: (typeof PAGES)[number]): Promise<string> {
  const res = await app.handle(new Request(`${ORIGIN}${page.path}`, { headers: { cookie: cookie!, ...(page.hx ? { "hx-request": "true" } : {}) } }));
  if (res.status !== 200) throw new Error(`${page.path}: ${res.status}`);
  return res.text();
}

/** The page's own statement (what drizzle prepares for it), and its generic plan's reads. */
async function explained(page: (typeof PAGES)[number]): Promise<string> {
  const session = (database.db as unknown as { session: { prepareQuery: (q: { sql: string; params: unknown[] }, ...r: unknown[]) => unknown } }).session;
  const original = session.prepareQuery;
  const seen: { sql: string; params: unknown[] }[] = [];
  session.prepareQuery = function (this: unknown, q, ...rest) {
    seen.push(q);
    return original.call(this, q, ...rest);
  };
  try {
    await get(page);
  } finally {
    session.prepareQuery = original;
  }
  const statement = seen.at(-1);
  if (!statement) return "";
  await sql.unsafe("set plan_cache_mode = force_generic_plan");
  await sql.unsafe("deallocate all");
  await sql.unsafe(`prepare page as ${statement.sql}`);
  const literal = (v: unknown) => `'${String(v).replaceAll("'", "''")}'`;
  const execute = `execute page(${statement.params.map(literal).join(", ")})`;
  await sql.unsafe(execute);
  const plan = (await sql.unsafe(`explain (analyze, buffers, format json) ${execute}`)) as unknown as { "QUERY PLAN": [{ Plan: Record<string, number> }] }[];
  if (process.env.BENCH_PLAN === page.name) {
    const text = (await sql.unsafe(`explain (analyze, buffers) ${execute}`)) as unknown as { "QUERY PLAN": string }[];
    console.log(text.map((r) => r["QUERY PLAN"]).join("\n"));
  }
  await sql.unsafe("deallocate page");
  const top = plan[0]!["QUERY PLAN"][0].Plan;
  return `${top["Shared Hit Blocks"]! + top["Shared Read Blocks"]!} buffers, ${top["Actual Rows"]} rows`;
}

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Median CPU µs of `run`, over ROUNDS rounds of `times` each (rounds of the pages alternate). */
async function cpuPerCall(runs: (() => Promise<unknown>)[], times: number): Promise<number[]> {
  const rounds: number[][] = runs.map(() => []);
  for (const run of runs) for (let i = 0; i < 50; i++) await run();
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, run] of runs.entries()) {
      const start = cpuMicros();
      for (let n = 0; n < times; n++) await run();
      rounds[i]!.push((cpuMicros() - start) / times);
    }
  }
  return rounds.map(median);
}

// Rendering alone: the views with the data already read.
const viewer = { ...agent, notifySound: true, notifyDesktop: false };
const renders: (() => Promise<unknown>)[] = [];
for (const tab of ["open", "mine", "queue", "closed"] as Tab[]) {
  const page = await service.inboxList(database.db, agent.id, tab, null, null);
  const list = { tab, q: "", rows: page.rows, next: page.next, last: page.last, counts: page.counts, cursor: null, until: null };
  renders.push(async () => InboxPage({ agent: viewer, list }));
}
const pane = (await service.conversationPane(database.db, mine!.id))!;
renders.push(async () => InboxPage({ agent: viewer, pane: ConversationPane({ ...pane, viewerId: agent.id, now: new Date(), clientId: "c" }), selectedId: mine!.id }));

const uptime = async () => (await Bun.file("/proc/loadavg").text()).split(" ").slice(0, 3).join(" ");
console.log(`inbox page cost: ${ROUNDS} rounds of ${REQUESTS} requests per page; load ${await uptime()}`);
const requestCpu = await cpuPerCall(PAGES.map((page) => () => get(page)), REQUESTS);
const renderCpu = await cpuPerCall(renders, REQUESTS);
const renderOf: Record<string, number> = {
  "/inbox?tab=open": renderCpu[0]!,
  "/inbox?tab=mine": renderCpu[1]!,
  "/inbox?tab=queue": renderCpu[2]!,
  "/inbox?tab=closed": renderCpu[3]!,
  "/inbox/c/:id (page)": renderCpu[4]!,
};
console.log("page                    statements  its own statement (generic plan)  CPU/request  of which rendering  bytes");
for (const [i, page] of PAGES.entries()) {
  const { count, result } = await countSentStatements(metrics, () => get(page));
  const render = renderOf[page.name];
  console.log(
    `${page.name.padEnd(24)}${String(count).padStart(10)}  ${(await explained(page)).padEnd(32)}  ${`${requestCpu[i]!.toFixed(0)} µs`.padStart(11)}  ${(render === undefined ? "" : `${render.toFixed(0)} µs`).padStart(18)}  ${String(result.length).padStart(5)}`,
  );
}
console.log(`load after: ${await uptime()}`);
await sql.end();
await services.close();
await realtime.close();
await database.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
