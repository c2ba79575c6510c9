// The inbox bench's database: a fresh one, migrated, seeded and vacuumed (VACUUM ANALYZE, as
// autovacuum would have done on a live database of that size), or one seeded by an earlier run.
import postgres from "postgres";
import { postgresDatabase } from "../../src/db/postgres.ts";
import { MIGRATIONS_DIR } from "../../src/paths.ts";
import type { BenchRun } from "../support/bench-run.ts";
import { seed, type SeedResult } from "./seed.ts";

export async function openDatabase(run: BenchRun, size: { conversations: number; messages: number; agents: number }): Promise<{ sql: postgres.Sql; seeded: SeedResult }> {
  if (run.existing) {
    const sql = (run.sql = postgres(run.databaseUrl, { max: 1, onnotice: () => {} }));
    const [inbox] = await sql`select id from inboxes where public_key like 'pk_bench_%' limit 1`;
    const agentRows = (await sql`select id, email from agents where email like 'agent%@bench.example'`) as unknown as { id: string; email: string }[];
    if (!inbox || !agentRows.length) throw new Error("BENCH_DATABASE_URL: not a database seeded by this bench");
    const agents = agentRows
      .map((a) => ({ ...a, n: Number(/^agent(\d+)@/.exec(a.email)![1]) }))
      .filter((a) => a.n < size.agents)
      .sort((x, y) => x.n - y.n)
      .map((a) => ({ id: a.id, email: a.email, password: `bench-password-${a.n}` }));
    console.log(`seed: none, using ${run.databaseUrl.replace(/\/\/[^@]*@/, "//")}`);
    return { sql, seeded: { inboxId: inbox.id as string, agents } };
  }
  await run.createDatabase();
  const migrating = postgresDatabase(run.databaseUrl, { max: 1 });
  await migrating.migrate(MIGRATIONS_DIR);
  await migrating.close();
  const sql = (run.sql = postgres(run.databaseUrl, { max: 1, onnotice: () => {} }));
  let t = performance.now();
  const seeded = await seed(sql, size);
  const seedSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  await sql.unsafe("vacuum analyze");
  const analyzeSeconds = (performance.now() - t) / 1000;
  const [c] = (await sql`select
    (select count(*)::int from conversations) as conversations,
    (select count(*)::int from messages) as messages,
    (select count(*)::int from conversation_events) as events,
    (select count(*)::int from conversations where status = 'queued') as queued,
    (select count(*)::int from conversations where status = 'assigned') as assigned,
    (select count(*)::int from conversations where status = 'closed') as closed,
    pg_size_pretty(pg_database_size(current_database())) as size`) as unknown as Record<string, number | string>[];
  console.log(
    `seed: ${c!.conversations} conversations (${c!.queued} queued, ${c!.assigned} assigned, ${c!.closed} closed), ${c!.messages} messages, ${c!.events} events, ` +
      `${c!.size} in ${seedSeconds.toFixed(1)} s; VACUUM ANALYZE ${analyzeSeconds.toFixed(1)} s`,
  );
  return { sql, seeded };
}
