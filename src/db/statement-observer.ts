// Watches the statements drizzle sends through a driver, for the metrics (statement time, pool
// use) and the traces (a span per statement): a Proxy over the client that sees each statement
// from its issue (waiting for a connection included) to its settling, and each transaction, which
// holds a connection. It never changes what runs: the driver's promise is observed, not replaced.
// With neither metrics nor tracing on, the client goes to drizzle unwrapped.
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type postgres from "postgres";

export interface StatementObserver {
  /** How many connections the pool may open (postgres.js `max`; PGlite has one). */
  poolSize(size: number): void;
  /** A statement was issued (`inTransaction`: on a transaction's connection); call the result once it settled (with its error if it failed). */
  statement(sql: string, inTransaction: boolean): (error?: unknown) => void;
  /** A transaction asked for its connection; call the result once it ended. */
  transaction(): () => void;
}

/** Several observers as one (the metrics' and the spans'); undefined when there is none. */
export function observers(...list: Array<StatementObserver | undefined>): StatementObserver | undefined {
  const each = list.filter((o): o is StatementObserver => o !== undefined);
  if (each.length <= 1) return each[0];
  return {
    poolSize: (size) => each.forEach((o) => o.poolSize(size)),
    statement(sql, inTransaction) {
      const ends = each.map((o) => o.statement(sql, inTransaction));
      return (error) => ends.forEach((end) => end(error));
    },
    transaction() {
      const ends = each.map((o) => o.transaction());
      return () => ends.forEach((end) => end());
    },
  };
}

/** Observes a promise's end without handling its rejection for anyone else, nor starting it. */
function whenSettled(result: unknown, done: (error?: unknown) => void): void {
  // Promise.prototype.then, not the driver's own `then`: postgres.js queries start on `then`, and
  // drizzle still has to call `.values()` on this one first. Their species is Promise.
  if (result instanceof Promise) Promise.prototype.then.call(result, () => done(), done);
  else done();
}

/** The postgres.js client (or a transaction's) with its statements observed. */
export function observingPostgres(client: postgres.Sql, observer: StatementObserver, inTransaction = false): postgres.Sql {
  return new Proxy(client, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key === "unsafe") {
        return (query: string, ...rest: unknown[]) => {
          const done = observer.statement(query, inTransaction);
          const pending = (value as (...a: unknown[]) => unknown).call(target, query, ...rest);
          whenSettled(pending, done);
          return pending;
        };
      }
      if (key === "begin" || key === "savepoint") {
        return (...args: unknown[]) => {
          const last = args.length - 1;
          const fn = args[last] as (sql: postgres.Sql) => unknown;
          args[last] = (sql: postgres.Sql) => fn(observingPostgres(sql, observer, true));
          const done = key === "begin" ? observer.transaction() : () => {};
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          whenSettled(result, done);
          return result;
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

type Queryable = Pick<Transaction, "query">;

function observingQuery<T extends Queryable>(client: T, observer: StatementObserver, inTransaction: boolean): T["query"] {
  return ((query: string, ...rest: unknown[]) => {
    const done = observer.statement(query, inTransaction);
    const pending = (client.query as (...a: unknown[]) => Promise<unknown>).call(client, query, ...rest);
    whenSettled(pending, done);
    return pending;
  }) as T["query"];
}

/** PGlite (one connection, statements queued in turn) with its statements observed. */
export function observingPglite(client: PGlite, observer: StatementObserver): PGlite {
  observer.poolSize(1);
  return new Proxy(client, {
    get(target, key) {
      if (key === "query") return observingQuery(target, observer, false);
      if (key === "transaction") {
        return (fn: (tx: Transaction) => Promise<unknown>) => {
          const done = observer.transaction();
          const result = target.transaction((tx) =>
            fn(new Proxy(tx, { get: (t, k) => (k === "query" ? observingQuery(t, observer, true) : bound(t, k)) })),
          );
          whenSettled(result, done);
          return result;
        };
      }
      return bound(target, key);
    },
  });
}

/** PGlite keeps private fields: its getters and methods must run on the instance itself, not on a proxy. */
function bound(target: object, key: string | symbol): unknown {
  const value: unknown = Reflect.get(target, key);
  return typeof value === "function" ? value.bind(target) : value;
}
