// Counting the SQL statements a piece of code sends: the tests that bound how many a page or a
// message costs.
import type { Db } from "../db/database.ts";
import type { Metrics } from "../metrics/metrics.ts";

type Session = { prepareQuery: (...args: unknown[]) => unknown; transaction: (...args: unknown[]) => Promise<unknown> };

export interface Counted<T> {
  result: T;
  /** Statements sent, inside transactions or not. */
  count: number;
  /** Their SQL text, in the order they were prepared. */
  statements: string[];
  /** Transactions opened; each also costs its BEGIN and COMMIT, which are not in `count`. */
  transactions: number;
}

/** Counts the SQL statements drizzle sends while `run` runs (both drivers prepare each one), including those inside transactions. */
export async function countStatements<T>(db: Db, run: () => Promise<T>): Promise<Counted<T>> {
  const session = (db as unknown as { session: Session }).session;
  const originalPrepare = session.prepareQuery;
  const originalTransaction = session.transaction;
  const statements: string[] = [];
  let transactions = 0;
  const counting = (target: Session) => {
    const prepare = target.prepareQuery;
    target.prepareQuery = function (this: unknown, ...args: unknown[]) {
      statements.push((args[0] as { sql: string }).sql);
      return prepare.apply(this, args);
    };
  };
  counting(session);
  // A transaction runs on a session of its own, made for it: count what it prepares too.
  session.transaction = function (this: unknown, callback: unknown, ...rest: unknown[]) {
    transactions++;
    const wrapped = (tx: { session: Session }) => {
      counting(tx.session);
      return (callback as (tx: unknown) => unknown)(tx);
    };
    return originalTransaction.call(this, wrapped, ...rest);
  };
  try {
    const result = await run();
    return { result, count: statements.length, statements, transactions };
  } finally {
    session.prepareQuery = originalPrepare;
    session.transaction = originalTransaction;
  }
}

/**
 * Statements the database driver was handed while `run` ran, read from the app's statement-time
 * histogram (the statement observer sits on the driver): unlike countStatements it also sees
 * what drizzle prepared once and sends again, such as the session's lookup. Needs real metrics
 * (createTestApp's), and nothing else running on the app meanwhile.
 */
export async function countSentStatements<T>(metrics: Metrics, run: () => Promise<T>): Promise<{ result: T; count: number }> {
  const sent = async () => {
    const histogram = await metrics.registry?.getSingleMetric("supportdesk_db_statement_duration_seconds")?.get();
    const values = (histogram?.values ?? []) as { metricName?: string; value: number }[];
    return values.filter((v) => v.metricName?.endsWith("_count")).reduce((n, v) => n + v.value, 0);
  };
  const before = await sent();
  const result = await run();
  return { result, count: (await sent()) - before };
}
