// Analytics over a support team's last 90 days (issue 6): seeds a fresh PostgreSQL database with
// 100,000 conversations, their events, messages and tickets (set-based SQL, a handful of
// statements), then times the analytics report (every figure of /analytics, rendered) for the last
// 7, 30 and 90 days, and prints p50, p95 and max of the server time per range. Target: 200 ms for
// 90 days. It prints figures and asserts nothing.
//
//   bun run bench/analytics.ts
//
// Environment (all optional):
//   BENCH_CONVERSATIONS   conversations to seed (100000)
//   BENCH_DAYS            days they are spread over, ending now (90)
//   BENCH_AGENTS          agents (20; the last two are deactivated)
//   BENCH_RUNS            timed runs per range, after 3 untimed ones (30)
//   BENCH_TIME_ZONE       the account's zone the days are counted in (Europe/Berlin)
//   BENCH_BREAKDOWN=1     also time each statement alone (where the time goes)
//   BENCH_PG_URL          PostgreSQL server; a fresh database sd_bench_<random> is made there and dropped
//                         (postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_DATABASE_URL    use this existing, already seeded database instead (not seeded, not dropped)
//   BENCH_KEEP=1          keep the fresh database (its URL is printed) to run again with BENCH_DATABASE_URL
//
// The report runs as the app runs it: the postgres.js pool of src/db/postgres.ts (10 connections),
// the statements of one report at the same time. The machine's load is printed with the figures:
// other work on its cores shows in them.
import postgres from "postgres";
import { parseRange } from "../src/analytics/model.ts";
import * as durations from "../src/analytics/duration-queries.ts";
import * as q from "../src/analytics/queries.ts";
import { boundsOf } from "../src/analytics/range-sql.ts";
import { report } from "../src/analytics/service.ts";
import { postgresDatabase } from "../src/db/postgres.ts";
import { AnalyticsPage } from "../views/analytics/analytics-page.tsx";
import { loadAverages } from "./support/machine.ts";
import { seed } from "./analytics/seed.ts";
import { onSeededDatabase } from "./support/seeded-database.ts";
import { dist, timed, type Dist } from "./support/stats.ts";

const TARGET_MS = 200;

const fmt = (n: number) => n.toFixed(1).padStart(7);

async function main() {
  const size = {
    conversations: Number(process.env.BENCH_CONVERSATIONS ?? 100_000),
    days: Number(process.env.BENCH_DAYS ?? 90),
    agents: Number(process.env.BENCH_AGENTS ?? 20),
  };
  const runs = Number(process.env.BENCH_RUNS ?? 30);
  const timeZone = process.env.BENCH_TIME_ZONE ?? "Europe/Berlin";
  const title = "SupportDesk analytics bench: the /analytics report over a seeded team";
  const seeding = async (sql: postgres.Sql) => {
    const counts = await seed(sql, size);
    return (
      `${counts.conversations} conversations over ${size.days} days, ${counts.events} events, ${counts.messages} messages, ` +
      `${counts.tickets} tickets, ${size.agents} agents`
    );
  };

  await onSeededDatabase(title, seeding, async ({ url, onEnd }) => {
    const database = postgresDatabase(url);
    onEnd(() => database.close());
    const db = database.db;
    console.log(`report: days in ${timeZone}, ${runs} runs per range after 3 untimed; server time = every statement of the report + rendering the page`);
    console.log("range     p50 ms   p95 ms   max ms");
    const results: Record<number, Dist> = {};
    for (const days of [7, 30, 90] as const) {
      const parsed = parseRange({ range: String(days) }, timeZone);
      if (!parsed.ok) throw new Error(parsed.error);
      const agent = { name: "Bench", role: "admin" };
      const t = dist(
        await timed(runs, 3, async () => {
          const r = await report(db, parsed.range);
          return AnalyticsPage({ agent, timeZone, choice: parsed.choice, report: r });
        }),
      );
      results[days] = t;
      console.log(`${String(days).padStart(2)} days ${fmt(t.p50)}  ${fmt(t.p95)}  ${fmt(t.max)}`);
    }
    const ok = results[90]!.p95 <= TARGET_MS;
    console.log(`target: 90 days within ${TARGET_MS} ms (p95): ${ok ? "met" : "not met"}; load now ${loadAverages()}`);

    if (process.env.BENCH_BREAKDOWN === "1") {
      const parsed = parseRange({ range: "90" }, timeZone);
      if (!parsed.ok) throw new Error(parsed.error);
      const b = await boundsOf(db, parsed.range);
      const statements: Record<string, () => Promise<unknown>> = {
        "conversations per day": () => q.perDay(db, b),
        "first responses (all and per agent)": () => durations.firstResponses(db, b),
        "resolutions and queue waits": () => durations.eventDurationSummaries(db, b),
        "agents (handled, open now)": () => q.agentActivity(db, b),
        "needs attention": () => q.attention(db, 20),
        tickets: () => q.ticketCounts(db, b),
      };
      console.log("90 days, each statement alone (p50 ms of 10):");
      for (const [name, fn] of Object.entries(statements)) {
        const t = dist(await timed(10, 3, fn));
        console.log(`  ${name.padEnd(42)} ${fmt(t.p50)}`);
      }
    }
  });
}

await main();
