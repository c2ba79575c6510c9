import { sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { accountSettings } from "../db/schema/index.ts";

/** The saved time zone; undefined until an admin first saves one. */
export async function savedTimeZone(db: Db): Promise<string | undefined> {
  const [row] = await db.select({ timeZone: accountSettings.timeZone }).from(accountSettings);
  return row?.timeZone;
}

/** Saves the zone in the one row, making it on the first save. */
export async function saveTimeZone(db: Db, timeZone: string): Promise<void> {
  await db
    .insert(accountSettings)
    .values({ singleton: true, timeZone })
    .onConflictDoUpdate({ target: accountSettings.singleton, set: { timeZone, updatedAt: sql`now()` } });
}

/** Whether PostgreSQL's time zone database knows the zone (analytics converts days with it). */
export async function databaseKnowsZone(db: Db, timeZone: string): Promise<boolean> {
  try {
    await db.execute(sql`select now() at time zone ${timeZone}`);
    return true;
  } catch {
    return false;
  }
}

/** The queue alert's wait in minutes; null: off (also before anything is saved). */
export async function queueAlertMinutes(db: Db): Promise<number | null> {
  const [row] = await db.select({ minutes: accountSettings.queueAlertMinutes }).from(accountSettings);
  return row?.minutes ?? null;
}

/** The saved "Language and region for dates"; null: none (also before anything is saved). */
export async function savedLocale(db: Db): Promise<string | null> {
  const [row] = await db.select({ locale: accountSettings.locale }).from(accountSettings);
  return row?.locale ?? null;
}

/** The settings a form saves beside the time zone: the queue alert's wait, the dates' locale. */
export type OtherSettings = { queueAlertMinutes: number | null } | { locale: string | null };

/**
 * Saves settings in the one row. The row's time zone is required: a first save keeps the zone in
 * effect (`timeZone`, TIME_ZONE's), which is then the saved one.
 */
export async function saveSettings(db: Db, settings: OtherSettings, timeZone: string): Promise<void> {
  await db
    .insert(accountSettings)
    .values({ singleton: true, timeZone, ...settings })
    .onConflictDoUpdate({ target: accountSettings.singleton, set: { ...settings, updatedAt: sql`now()` } });
}
