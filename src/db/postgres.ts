import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { Database } from "./database.ts";
import * as schema from "./schema/index.ts";
import { observingPostgres, type StatementObserver } from "./statement-observer.ts";

/** Any fixed number: every instance of this app agrees on it. */
const MIGRATION_LOCK_ID = 724_011_301;

export interface PostgresOptions {
  /** Seconds to wait for a connection (default CONNECT_TIMEOUT_S); /ready must answer quickly when the server is gone. */
  connectTimeout?: number;
  max?: number;
  /** Times statements and counts pool use for the metrics (statement-observer.ts). */
  statements?: StatementObserver;
}

/** Statements with more parameters than this vary in shape (IN lists) and are not worth caching. */
const MAX_PREPARED_PARAMS = 50;

/**
 * drizzle sends every query unprepared unless it was built with .prepare(name), so PostgreSQL plans
 * each one again: for the small, hot queries of a chat (lock, insert, list row) planning costs more
 * than running. This hands postgres.js `prepare: true`, which caches one statement per query text
 * and connection, also inside transactions.
 */
function preparing(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key === "unsafe") {
        return (query: string, params?: unknown[], options?: object) =>
          (value as postgres.Sql["unsafe"]).call(target, query, params as never, {
            ...options,
            prepare: (params?.length ?? 0) <= MAX_PREPARED_PARAMS,
          });
      }
      if (key === "begin" || key === "savepoint") {
        // The transaction's own client must prepare too: wrap the callback's argument.
        return (...args: unknown[]) => {
          const last = args.length - 1;
          const fn = args[last] as (sql: postgres.Sql) => unknown;
          args[last] = (sql: postgres.Sql) => fn(preparing(sql));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

// Riding out a database restart (issue 15). postgres.js retries a lost connection after
// backoff(retries) seconds, where retries counts the failed attempts of the whole pool since its last
// success; its default grows to 10-20 s within a few failures, and queries queued meanwhile wait for
// it without an error. Capped at a quarter second, an instance is back within about that of the
// database's return; the failed attempts are cheap (a refused connect) and each fails one queued query.
const RECONNECT_BACKOFF_CAP_S = 0.25;
/** Seconds before retry `retries`: doubling from 20 ms to the cap, jittered so instances do not reconnect in step. */
const reconnectBackoff = (retries: number) => (0.5 + Math.random() / 2) * Math.min(0.01 * 2 ** retries, RECONNECT_BACKOFF_CAP_S);
/**
 * Seconds from connect to the end of authentication (DATABASE_URL's `?connect_timeout=` wins): a
 * restarting server refuses at once, so this bounds the rest (a host that does not answer), and
 * /ready answers within it. A distant server behind TLS may need more (`?connect_timeout=5`).
 * postgres.js 3.4.9 left a connection whose socket closed with a write pending unable to send its
 * startup message, waiting out this timeout on every later connect: patches/postgres+3.4.9.patch.
 */
const CONNECT_TIMEOUT_S = 1;
/** The connect_timeout option, absent when the URL sets it (postgres.js prefers an option, even an undefined one, to the URL). */
const connectTimeout = (url: string, given?: number) =>
  given === undefined && new URL(url).searchParams.has("connect_timeout") ? {} : { connect_timeout: given ?? CONNECT_TIMEOUT_S };
/** Idle connections are closed: fewer to find dead after a restart, fewer held on the server. */
const IDLE_TIMEOUT_S = 30;
/** Connections are renewed every 15-30 min (spread out), so a failover behind the same address is picked up. */
const maxLifetime = () => 60 * (15 + Math.random() * 15);
/**
 * Server-side bound (milliseconds), sent as a connection parameter: a statement stuck on a lock or
 * running away is cancelled (57014) after this; operators may override it in DATABASE_URL's query
 * string (`?statement_timeout=60000`). No idle_in_transaction_session_timeout: the server then ends
 * the session, and postgres.js 3.4.9 may run the transaction's later statements on the reconnected
 * connection, outside any transaction (porsager/postgres#1155).
 */
const SERVER_TIMEOUTS = { statement_timeout: 15_000 };

export function postgresDatabase(url: string, opts: PostgresOptions = {}): Database {
  const raw = postgres(url, {
    max: opts.max ?? 10,
    ...connectTimeout(url, opts.connectTimeout),
    backoff: reconnectBackoff,
    idle_timeout: IDLE_TIMEOUT_S,
    max_lifetime: maxLifetime as unknown as number, // postgres.js calls it once per connection
    connection: SERVER_TIMEOUTS,
    // Migrations print NOTICEs such as "schema drizzle already exists"; they are not news.
    onnotice: () => {},
  });
  const client = opts.statements ? observingPostgres(preparing(raw), opts.statements) : preparing(raw);
  opts.statements?.poolSize(opts.max ?? 10);
  const db = drizzle({ client, schema });
  return {
    db,
    kind: "postgres",
    async migrate(migrationsFolder) {
      // Several instances may boot at once. A session-level advisory lock makes them take turns:
      // the second finds nothing left to apply. A client of exactly one connection keeps the
      // lock and the migrations in the same session; ending it releases the lock.
      const single = postgres(url, { max: 1, ...connectTimeout(url, opts.connectTimeout), onnotice: () => {} });
      try {
        await single`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
        await migrate(drizzle({ client: single }), { migrationsFolder });
      } finally {
        await single.end({ timeout: 3 });
      }
    },
    async ping() {
      await client`select 1`;
    },
    async close() {
      await client.end({ timeout: 3 });
    },
  };
}
