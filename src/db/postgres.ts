import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { tracedPostgres } from "../tracing/statement-spans.ts";
import type { Database } from "./database.ts";
import * as schema from "./schema/index.ts";

/** Any fixed number: every instance of this app agrees on it. */
const MIGRATION_LOCK_ID = 724_011_301;

export interface PostgresOptions {
  /** Seconds to wait for a connection; /ready must answer quickly when the server is gone. */
  connectTimeout?: number;
  max?: number;
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

export function postgresDatabase(url: string, opts: PostgresOptions = {}): Database {
  const raw = postgres(url, {
    max: opts.max ?? 10,
    connect_timeout: opts.connectTimeout ?? 5,
    // Migrations print NOTICEs such as "schema drizzle already exists"; they are not news.
    onnotice: () => {},
  });
  const client = tracedPostgres(preparing(raw));
  const db = drizzle({ client, schema });
  return {
    db,
    kind: "postgres",
    async migrate(migrationsFolder) {
      // Several instances may boot at once. A session-level advisory lock makes them take turns:
      // the second finds nothing left to apply. A client of exactly one connection keeps the
      // lock and the migrations in the same session; ending it releases the lock.
      const single = postgres(url, { max: 1, connect_timeout: opts.connectTimeout ?? 5, onnotice: () => {} });
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
