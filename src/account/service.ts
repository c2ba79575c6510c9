// The account's settings: its time zone, in which analytics counts days, the queue alert's wait,
// and the language and region dates are written in.
import type { Db } from "../db/database.ts";
import { dateLocaleSaved } from "./date-locale.ts";
import { parseDateLocale, parseQueueAlertMinutes, parseTimeZone, type AccountTimeZone, type LocaleResult, type QueueAlertResult, type TimeZoneResult } from "./model.ts";
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

/** The queue alert's wait in minutes; null: off. */
export function queueAlertMinutes(db: Db): Promise<number | null> {
  return q.queueAlertMinutes(db);
}

/**
 * Saves the queue alert's wait the admin typed, or says why not (and saves nothing). A first save
 * of the account's settings keeps the time zone in effect (`fallbackZone`, TIME_ZONE's).
 */
export async function saveQueueAlert(db: Db, raw: string | undefined, fallbackZone: string): Promise<QueueAlertResult> {
  const parsed = parseQueueAlertMinutes(raw);
  if (parsed.ok) await q.saveSettings(db, { queueAlertMinutes: parsed.minutes }, fallbackZone);
  return parsed;
}

/** The saved "Language and region for dates"; null: the English default. */
export function dateLocale(db: Db): Promise<string | null> {
  return q.savedLocale(db);
}

/**
 * Saves the locale the admin chose, or says why not (and saves nothing); this instance writes
 * dates in it at once, the others within seconds (date-locale.ts).
 */
export async function saveDateLocale(db: Db, raw: string | undefined, fallbackZone: string): Promise<LocaleResult> {
  const parsed = parseDateLocale(raw);
  if (!parsed.ok) return parsed;
  await q.saveSettings(db, { locale: parsed.locale }, fallbackZone);
  dateLocaleSaved(db, parsed.locale);
  return parsed;
}
