import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { Database } from "./database.ts";
import * as schema from "./schema/index.ts";

/** Any fixed number: every instance of this app agrees on it. */
const MIGRATION_LOCK_ID = 724_011_301;

export interface PostgresOptions {
  /** Seconds to wait for a connection; /ready must answer quickly when the server is gone. */
  connectTimeout?: number;
  max?: number;
}

export function postgresDatabase(url: string, opts: PostgresOptions = {}): Database {
  const client = postgres(url, {
    max: opts.max ?? 10,
    connect_timeout: opts.connectTimeout ?? 5,
    // Migrations print NOTICEs such as "schema drizzle already exists"; they are not news.
    onnotice: () => {},
  });
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
