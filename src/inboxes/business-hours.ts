// "Open now" and "back at" for an inbox's business hours, in the inbox's time zone. Pure: the
// widget's session answer and its socket ask these with the clock's now.
//
// Hours are wall-clock times per weekday (0 Sunday … 6 Saturday, as Date.getDay). A day absent
// from the list is closed. A span whose `to` is not after its `from` runs overnight: Friday
// 22:00–02:00 is open from Friday 22:00 to Saturday 02:00 (and `to` 00:00 means until midnight).
// Wall-clock times make DST a non-event: 09:00 is 09:00 local on both sides of a change.
import type { BusinessHours } from "../db/schema/index.ts";

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
const DAY = 24 * 60;

/** "HH:MM" (00:00–23:59) as minutes after midnight, or null. */
export function minutesOf(time: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** The weekday and minute of the day that `now` is on the clocks of `zone`. */
export function wallClock(now: Date, zone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(get("weekday"));
  return { day, minute: Number(get("hour")) * 60 + Number(get("minute")) };
}

/** Open intervals of the week as [start, end) minutes from Sunday 00:00; an overnight span wraps past the week's end. */
function weekIntervals(hours: BusinessHours): Array<[number, number]> {
  const intervals: Array<[number, number]> = [];
  for (const span of hours) {
    const from = minutesOf(span.from);
    const to = minutesOf(span.to);
    if (from === null || to === null || from === to) continue;
    const start = span.day * DAY + from;
    intervals.push([start, span.day * DAY + (to > from ? to : to + DAY)]);
  }
  return intervals;
}

const WEEK = 7 * DAY;

/** Whether the team works now; no business hours at all (null) means always. */
export function openNow(hours: BusinessHours | null, zone: string, now: Date): boolean {
  if (hours === null) return true;
  const { day, minute } = wallClock(now, zone);
  const t = day * DAY + minute;
  // Saturday's overnight span reaches into Sunday: seen a week earlier too.
  return weekIntervals(hours).some(([s, e]) => (t >= s && t < e) || (t + WEEK >= s && t + WEEK < e));
}

export interface BackAt {
  /** Weekday of the next opening on the inbox's clocks. */
  day: number;
  /** "HH:MM" on the inbox's clocks. */
  time: string;
  /** Days from today (inbox's clocks): 0 today, 1 tomorrow… */
  inDays: number;
}

/** When the team next opens after `now` (null: never: no open day at all, or no hours and so always open). */
export function nextOpening(hours: BusinessHours | null, zone: string, now: Date): BackAt | null {
  if (hours === null) return null;
  const { day, minute } = wallClock(now, zone);
  const t = day * DAY + minute;
  let best: number | null = null;
  for (const [start] of weekIntervals(hours)) {
    const ahead = (start - t + WEEK) % WEEK || WEEK; // an opening at this very minute is next week's
    if (best === null || ahead < best) best = ahead;
  }
  if (best === null) return null;
  const at = t + best;
  return { day: Math.floor(at / DAY) % 7, time: hhmm(at % DAY), inDays: Math.floor(at / DAY) - day };
}

/**
 * When the span the team is in now ends, "HH:MM" on the inbox's clocks (spans that meet are one:
 * 09:00–12:00 and 12:00–17:00 end at 17:00); null when closed now, or always open (no hours).
 */
export function closesAt(hours: BusinessHours | null, zone: string, now: Date): string | null {
  if (hours === null) return null;
  const { day, minute } = wallClock(now, zone);
  // Three weeks of intervals, now in the middle one: overnight spans and the week's wrap are plain ranges.
  const intervals = weekIntervals(hours).flatMap(([s, e]) => [-WEEK, 0, WEEK].map((shift) => [s + shift, e + shift] as const));
  const within = (at: number) => intervals.find(([s, e]) => at >= s && at < e)?.[1];
  const at = WEEK + day * DAY + minute;
  let end = within(at);
  if (end === undefined) return null;
  for (let next = within(end), guard = 0; next !== undefined && next > end && guard < 14; next = within(end), guard++) end = next;
  // Open past midnight (overnight, or round the clock): there is no closing time "today".
  if (end >= WEEK + (day + 1) * DAY) return null;
  return hhmm(end % DAY);
}
