// A bench over a seeded PostgreSQL database (the analytics and tickets benches): made, migrated,
// seeded and dropped again, or one seeded by an earlier run.
import postgres from "postgres";
import { postgresDatabase } from "../../src/db/postgres.ts";
import { MIGRATIONS_DIR } from "../../src/paths.ts";
import { printMachine } from "./machine.ts";

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
    printMachine(title, `bun ${Bun.version}, ${version.split(" on ")[0]}`);

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
