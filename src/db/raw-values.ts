// Values in and out of raw SQL statements (db.execute). Both drivers return a timestamptz of a
// raw statement as text (drizzle turns their timestamp parsers off); formatting it (PostgreSQL)
// and parsing it back (JavaScript, a tenth of a page's mapping) cost several times what a number
// does, so pages read times as epoch milliseconds (a float8, microseconds kept as the fraction).
import { sql, type SQL } from "drizzle-orm";

/** A row of a raw statement. */
export type Row = Record<string, unknown>;

/** A time as milliseconds since the epoch. JSON built in SQL (queue previews) ran twice as fast with numbers. */
export const epochMs = (time: SQL) => sql`(date_part('epoch', ${time}) * 1000)`;

/** A time as whole microseconds since the epoch, as text: a cursor position (a JavaScript date stops at milliseconds). */
export const micros = (time: SQL) => sql`(extract(epoch from ${time}) * 1000000)::bigint::text`;

/** The time a `micros` value stands for. */
export const fromMicros = (value: string) => sql`(timestamptz 'epoch' + ${value}::bigint * interval '1 microsecond')`;

export const dateOf = (value: unknown): Date => (value instanceof Date ? value : new Date(typeof value === "number" ? value : Number(value)));
export const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : dateOf(value));
export const textOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
