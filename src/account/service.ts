// The account's settings: for now its time zone, in which analytics counts days.
import type { Db } from "../db/database.ts";
import { parseTimeZone, type AccountTimeZone, type TimeZoneResult } from "./model.ts";
import * as q from "./queries.ts";

/**
 * The zone saved in Settings, or `fallback` (TIME_ZONE) until an admin saves one. Read from the
 * database each time (one row by its key): every instance sees a save at once.
 */
export async function accountTimeZone(db: Db, fallback: string): Promise<AccountTimeZone> {
  const saved = await q.savedTimeZone(db);
  return saved === undefined ? { timeZone: fallback, saved: false } : { timeZone: saved, saved: true };
}

/** Saves the zone the admin typed, or says why not (and saves nothing). */
export async function saveTimeZone(db: Db, raw: string | undefined): Promise<TimeZoneResult> {
  const parsed = parseTimeZone(raw);
  if (!parsed.ok) return parsed;
  // Intl and PostgreSQL each carry a copy of the zone database; analytics needs both to know it.
  if (!(await q.databaseKnowsZone(db, parsed.timeZone))) {
    return { ok: false, error: `The database does not know the time zone "${parsed.timeZone}". Choose another one.` };
  }
  await q.saveTimeZone(db, parsed.timeZone);
  return parsed;
}
