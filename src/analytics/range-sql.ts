// What every analytics statement shares: the range as instants, the CSV pages' cursor, times as
// the CSV files show them, and how a large one-off aggregate is run.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import type { DayRange } from "./model.ts";

/** The range as instants, ISO 8601 in UTC: `lo` included, `hi` excluded. */
export interface Bounds {
  range: DayRange;
  lo: string;
  hi: string;
}

/** Where the previous CSV page ended: the sort key of its last row (exact, microseconds). */
export interface Cursor {
  at: string;
  id: string;
}

/** Rows per CSV page: a download of 100,000 rows holds 5,000 in memory at a time. */
export const PAGE_ROWS = 5000;

/** ISO 8601 in UTC to the second, as the CSV files show instants. */
export const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
/** The same instant to the microsecond: the CSV pages' cursor. */
export const exact = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
// date_part, not extract: extract returns numeric, whose arithmetic and cast cost a fifth of a
// percentile's time over 100,000 rows.
export const seconds = (from: SQL, to: SQL) => sql`greatest(0, date_part('epoch', ${to} - ${from}))`;

/**
 * One statement run the way a large, one-off aggregate should be, in its own read-only
 * transaction: enough work_mem that its hash tables and sorts stay in memory; no JIT (compiling
 * costs more than these queries run); and a plan made for these bounds, never the generic plan
 * of a prepared statement (which guesses a range picks 0.5% of the rows and walks indexes
 * through all of them). Separate statements run on separate connections at the same time, so
 * none starts parallel workers: they would only take the CPUs from the report's other statements.
 */
export async function aggregate<T>(db: Db, query: SQL): Promise<T[]> {
  return db.transaction(
    async (tx) => {
      await tx.execute(sql`select set_config('work_mem', '32MB', true), set_config('jit', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true),
        set_config('max_parallel_workers_per_gather', '0', true)`);
      return rowsOf<T>(await tx.execute(query));
    },
    { accessMode: "read only" },
  );
}

/** The range's instants, converted by PostgreSQL (its time zone database decides DST). */
export async function boundsOf(db: Db, range: DayRange): Promise<Bounds> {
  const result = await db.execute(sql`select
    ${iso(sql`(${range.from}::date)::timestamp at time zone ${range.timeZone}`)} as lo,
    ${iso(sql`(${range.to}::date + 1)::timestamp at time zone ${range.timeZone}`)} as hi`);
  const [row] = rowsOf<{ lo: string; hi: string }>(result);
  return { range, lo: row!.lo, hi: row!.hi };
}

export const lo = (b: Bounds) => sql`${b.lo}::timestamptz`;
export const hi = (b: Bounds) => sql`${b.hi}::timestamptz`;
export const after = (key: SQL, id: SQL, cursor: Cursor | undefined) =>
  cursor ? sql`and (${key}, ${id}) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : sql``;
