// The widget header's "expected reply time" and "back at" (issue 17): what an inbox's chat says
// about when a person answers. The server decides it; the widget only shows `note`.
import { waitedSince } from "../analytics/duration-queries.ts";
import { sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import type { WidgetLocale } from "../widget/locales/index.ts";
import { closesAt, nextOpening, openNow, type BackAt } from "./business-hours.ts";
import type { Inbox } from "./queries.ts";

const WINDOW_DAYS = 7;

/** The median first response of an inbox's conversations answered in the last 7 days, in seconds; null without any. */
export async function medianFirstResponseSeconds(db: Db, inboxId: string, now: Date): Promise<number | null> {
  const since = new Date(now.getTime() - WINDOW_DAYS * 86_400_000);
  const result = await db.execute(sql`
    select percentile_cont(0.5) within group (order by greatest(0, date_part('epoch', c.first_response_at - ${waitedSince}))) as median
    from conversations c
    where c.inbox_id = ${inboxId} and c.first_response_at >= ${since.toISOString()} and c.first_response_at < ${now.toISOString()}`);
  const median = rowsOf<{ median: number | string | null }>(result)[0]?.median;
  return median === null || median === undefined ? null : Number(median);
}

const TEXTS = {
  en: { minutes: "Usually replies in a few minutes", hour: "Usually replies within an hour", hours: "Usually replies within a few hours", day: "Usually replies within a day", today: "today", tomorrow: "tomorrow", back: "Back {when} at {time}", days: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] },
  de: { minutes: "Antwortet meist in wenigen Minuten", hour: "Antwortet meist innerhalb einer Stunde", hours: "Antwortet meist innerhalb weniger Stunden", day: "Antwortet meist innerhalb eines Tages", today: "heute", tomorrow: "morgen", back: "Wieder da: {when} um {time}", days: ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"] },
} as const;

const textsOf = (locale: WidgetLocale) => TEXTS[locale] ?? TEXTS.en;

/** A median first response as the header says it: up to 10 minutes "a few minutes", then an hour, 4 hours, else a day. */
export function replyTimeText(seconds: number, locale: WidgetLocale = "en"): string {
  const t = textsOf(locale);
  return seconds <= 600 ? t.minutes : seconds <= 3600 ? t.hour : seconds <= 4 * 3600 ? t.hours : t.day;
}

export function backText(back: BackAt, locale: WidgetLocale = "en"): string {
  const t = textsOf(locale);
  const when = back.inDays === 0 ? t.today : back.inDays === 1 ? t.tomorrow : t.days[back.day]!;
  return t.back.replace("{when}", when).replace("{time}", back.time);
}

export interface HoursNote {
  /** Within business hours (always, without any). */
  open: boolean;
  /** The header's line: when the team is back while closed, else the expected reply time; "" for none. */
  note: string;
  /** Open now: when today's hours end ("HH:MM", the inbox's clocks); null when closed or without hours. */
  until: string | null;
}

type HoursInbox = Pick<Inbox, "id" | "businessHours" | "timeZone" | "replyTimeMode" | "replyTimeText">;

/** Medians per inbox for a minute: every session asks, and a week's median moves slowly. */
const medians = new WeakMap<Db, Map<string, { seconds: number | null; until: number }>>();

async function cachedMedian(db: Db, inboxId: string, now: Date): Promise<number | null> {
  let cache = medians.get(db);
  if (!cache) medians.set(db, (cache = new Map()));
  const hit = cache.get(inboxId);
  if (hit && hit.until > now.getTime()) return hit.seconds;
  const seconds = await medianFirstResponseSeconds(db, inboxId, now);
  if (cache.size > 1000) cache.clear();
  cache.set(inboxId, { seconds, until: now.getTime() + 60_000 });
  return seconds;
}

/** What the widget says about the inbox's hours now; `accountZone` when the inbox names no zone. */
export async function hoursNote(db: Db, inbox: HoursInbox, accountZone: string, now: Date, locale: WidgetLocale): Promise<HoursNote> {
  const zone = inbox.timeZone ?? accountZone;
  if (!openNow(inbox.businessHours, zone, now)) {
    const back = nextOpening(inbox.businessHours, zone, now);
    return { open: false, note: back ? backText(back, locale) : "", until: null };
  }
  const until = closesAt(inbox.businessHours, zone, now);
  if (inbox.replyTimeMode === "off") return { open: true, note: "", until };
  if (inbox.replyTimeMode === "fixed") return { open: true, note: inbox.replyTimeText ?? "", until };
  const median = await cachedMedian(db, inbox.id, now);
  return { open: true, note: median === null ? "" : replyTimeText(median, locale), until };
}
