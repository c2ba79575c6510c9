// Keeps the formatting module's locale (views/components/dates.ts) in step with the account's
// setting: read from the database at most every few seconds, so a save on one instance reaches
// the others' pages soon after, and set at once on the instance that saved it.
import { Elysia } from "elysia";
import type { Db } from "../db/database.ts";
import { setDateLocale } from "../../views/components/dates.ts";
import * as q from "./queries.ts";

const FRESH_MS = 5_000;

/** Requests that render no date for agents: probes, metrics, files, the widget and its API. They never wait on the database for this. */
const RENDERS_NO_DATES = /^\/(?:health|ready|metrics|public\/|api\/|embed\/|ws\/widget|widget\.js|favicon)/;

type Entry = { locale: string | null; readAt: number };
/** Per database (tests run many apps in one process), the locale read and when. */
const known = new WeakMap<object, Entry>();
/** The read under way per database: requests at the same moment share it. */
const reading = new WeakMap<object, Promise<Entry>>();

async function read(db: Db, now: number): Promise<Entry> {
  const before = known.get(db);
  let locale: string | null;
  try {
    locale = await q.savedLocale(db);
  } catch {
    // The database is away: dates keep the locale last read (or the default), and the request
    // goes on to answer for itself (/ready says 503, a page its own error); asked again in a few seconds.
    locale = before?.locale ?? null;
  }
  // A save on this instance while the read was under way is newer than what the read saw.
  const current = known.get(db);
  if (current !== before && current) return current;
  const entry = { locale, readAt: now };
  known.set(db, entry);
  return entry;
}

/** The account's locale, from the database unless read in the last few seconds; it becomes the one dates use. */
export async function refreshDateLocale(db: Db, now = Date.now()): Promise<string | null> {
  let entry = known.get(db);
  if (!entry || now - entry.readAt >= FRESH_MS) {
    let pending = reading.get(db);
    if (!pending) {
      pending = read(db, now).finally(() => reading.delete(db));
      reading.set(db, pending);
    }
    entry = await pending;
  }
  setDateLocale(entry.locale);
  return entry.locale;
}

/** After a save on this instance: its pages use the new locale from the next render on. */
export function dateLocaleSaved(db: Db, locale: string | null, now = Date.now()): void {
  known.set(db, { locale, readAt: now });
  setDateLocale(locale);
}

/** Every request that may render dates for agents does so in the account's locale (pushes it causes included). */
export function dateLocaleHook(db: Db) {
  return new Elysia({ name: "date-locale" })
    .onRequest(async ({ request }) => {
      if (RENDERS_NO_DATES.test(new URL(request.url).pathname)) return;
      await refreshDateLocale(db);
    })
    .as("global");
}
