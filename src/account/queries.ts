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

/**
 * Saves the queue alert's wait in the one row. The row's time zone is required: a first save
 * keeps the zone in effect (`timeZone`, TIME_ZONE's), which is then the saved one.
 */
export async function saveQueueAlertMinutes(db: Db, minutes: number | null, timeZone: string): Promise<void> {
  await db
    .insert(accountSettings)
    .values({ singleton: true, timeZone, queueAlertMinutes: minutes })
    .onConflictDoUpdate({ target: accountSettings.singleton, set: { queueAlertMinutes: minutes, updatedAt: sql`now()` } });
}

/** The saved "Language and region for dates"; null: none (also before anything is saved). */
export async function savedLocale(db: Db): Promise<string | null> {
  const [row] = await db.select({ locale: accountSettings.locale }).from(accountSettings);
  return row?.locale ?? null;
}

/** Saves the locale in the one row; a first save keeps the time zone in effect (`timeZone`). */
export async function saveLocale(db: Db, locale: string | null, timeZone: string): Promise<void> {
  await db
    .insert(accountSettings)
    .values({ singleton: true, timeZone, locale })
    .onConflictDoUpdate({ target: accountSettings.singleton, set: { locale, updatedAt: sql`now()` } });
}
