// Counting the SQL statements a piece of code sends: the tests that bound how many a page costs.
import type { Db } from "../db/database.ts";

/** Counts the SQL statements drizzle sends while `run` runs (both drivers prepare each one). */
export async function countStatements<T>(db: Db, run: () => Promise<T>): Promise<{ result: T; count: number }> {
  const session = (db as unknown as { session: { prepareQuery: (...args: unknown[]) => unknown } }).session;
  const original = session.prepareQuery;
  let count = 0;
  session.prepareQuery = function (this: unknown, ...args: unknown[]) {
    count++;
    return original.apply(this, args);
  };
  try {
    return { result: await run(), count };
  } finally {
    session.prepareQuery = original;
  }
}
