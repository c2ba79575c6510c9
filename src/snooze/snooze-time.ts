// When a snooze ends, from a preset or a date-time the agent picked: "tomorrow" and "next week"
// are 09:00 on the account's clock (its time zone, Settings), not the server's.

export const SNOOZE_PRESETS = ["hour", "tomorrow", "week", "custom"] as const;
export type SnoozePreset = (typeof SNOOZE_PRESETS)[number];

/** A snooze further away than this is refused: a forgotten conversation is better closed. */
export const MAX_SNOOZE_MS = 366 * 24 * 60 * 60_000;
const HOUR_MS = 60 * 60_000;
/** The hour "tomorrow" and "next week" wake at, on the account's clock. */
const WAKE_HOUR = 9;

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 Sunday ... 6 Saturday. */
  weekday: number;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** What a wall clock in `timeZone` shows at `at`. */
function wallTimeAt(at: number, timeZone: string): WallTime {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    weekday: "short",
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const weekday = WEEKDAYS.indexOf(parts.find((p) => p.type === "weekday")?.value ?? "");
  return { year: n("year"), month: n("month"), day: n("day"), hour: n("hour"), minute: n("minute"), weekday };
}

/** The instant a wall clock in `timeZone` shows this date and time (the later one twice a year, when it shows it twice). */
export function zonedInstant(timeZone: string, year: number, month: number, day: number, hour: number, minute: number): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  // The zone's offset near that instant, then again at the corrected instant (across a DST change).
  let at = asUtc;
  for (let i = 0; i < 2; i++) {
    const w = wallTimeAt(at, timeZone);
    at = asUtc - (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - at);
  }
  return at;
}

/** `days` after `now`'s local date in `timeZone`, at 09:00 there. */
function daysAhead(now: number, timeZone: string, days: number): number {
  const w = wallTimeAt(now, timeZone);
  const date = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return zonedInstant(timeZone, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), WAKE_HOUR, 0);
}

/** A `<input type="datetime-local">` value ("2026-12-08T14:30"), read on the account's clock; null when it is none. */
function customTime(value: string | undefined, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?$/.exec(value ?? "");
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  return zonedInstant(timeZone, year, month, day, hour, minute);
}

/**
 * When the snooze ends, or why there is none: "1 hour" from now, "tomorrow" 09:00, "next week"
 * Monday 09:00 (a week on when it is Monday already), or the custom time, which must lie ahead.
 */
export function snoozeEnd(preset: SnoozePreset, now: number, timeZone: string, custom?: string): { until: Date } | { refused: string } {
  let until: number | null;
  switch (preset) {
    case "hour":
      until = now + HOUR_MS;
      break;
    case "tomorrow":
      until = daysAhead(now, timeZone, 1);
      break;
    case "week": {
      const weekday = wallTimeAt(now, timeZone).weekday;
      until = daysAhead(now, timeZone, (8 - weekday) % 7 || 7);
      break;
    }
    case "custom":
      until = customTime(custom, timeZone);
      if (until === null) return { refused: "Choose a date and time." };
  }
  if (until <= now) return { refused: "Choose a time in the future." };
  if (until - now > MAX_SNOOZE_MS) return { refused: "Snooze for at most a year." };
  return { until: new Date(until) };
}
