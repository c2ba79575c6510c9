// The analytics range as the page's GET form sends it, checked before any query runs.
import { ticketPriority, ticketStatus } from "../db/schema/index.ts";
import type { LabelCount } from "./label-queries.ts";

/** The ranges offered as one choice: that many local days ending today. */
export const PRESET_DAYS = [7, 30, 90] as const;
export type PresetDays = (typeof PRESET_DAYS)[number];
export const DEFAULT_DAYS: PresetDays = 30;

/** Longest custom range: a year, leap day included. */
export const MAX_RANGE_DAYS = 366;

/** The query string of /analytics and of every CSV link. */
export interface RangeQuery {
  range?: string;
  from?: string;
  to?: string;
}

/** Local days `from` to `to` (both included, YYYY-MM-DD) in the IANA zone `timeZone`. */
export interface DayRange {
  from: string;
  to: string;
  days: number;
  timeZone: string;
  /** Set when the range is one of the presets ("Last 30 days"). */
  preset: PresetDays | null;
}

/** What the form asked for, echoed back into it (also when it was refused). */
export interface RangeChoice {
  range: `${PresetDays}` | "custom";
  from: string;
  to: string;
}

export type RangeResult = { ok: true; range: DayRange; choice: RangeChoice } | { ok: false; error: string; choice: RangeChoice };

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a real calendar date written YYYY-MM-DD; null otherwise (2025-02-30). */
function dayNumber(date: string): number | null {
  const m = ISO_DATE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (y < 1900 || back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

function dateOf(dayNo: number): string {
  return new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
}

/** Today's date in `timeZone`, YYYY-MM-DD. */
export function localToday(timeZone: string, now: Date = new Date()): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

function isPreset(value: string | undefined): value is `${PresetDays}` {
  return PRESET_DAYS.some((d) => String(d) === value);
}

/**
 * The range a request asks for: `range=7|30|90` (days ending today, local), or `from`/`to`
 * (with `range=custom` or no `range`). Nothing at all means the last 30 days. A refusal says
 * what to change, in words a person reads next to the form.
 */
export function parseRange(query: RangeQuery, timeZone: string, now: Date = new Date()): RangeResult {
  const from = query.from?.trim() ?? "";
  const to = query.to?.trim() ?? "";
  const raw = query.range?.trim() || (from || to ? "custom" : String(DEFAULT_DAYS));
  if (isPreset(raw)) {
    const days = Number(raw) as PresetDays;
    const end = dayNumber(localToday(timeZone, now))!;
    const range = { from: dateOf(end - days + 1), to: dateOf(end), days, timeZone, preset: days };
    return { ok: true, range, choice: { range: raw, from: range.from, to: range.to } };
  }
  const choice: RangeChoice = { range: "custom", from, to };
  if (raw !== "custom") return { ok: false, error: "Choose 7, 30 or 90 days, or custom dates.", choice };
  if (!from || !to) return { ok: false, error: "Enter both a start date and an end date.", choice };
  const start = dayNumber(from);
  const end = dayNumber(to);
  if (start === null || end === null) {
    return { ok: false, error: "Enter dates as year-month-day, like 2025-03-01, and make sure they exist.", choice };
  }
  if (start > end) return { ok: false, error: "The start date must be on or before the end date.", choice };
  const days = end - start + 1;
  if (days > MAX_RANGE_DAYS) return { ok: false, error: `Choose at most ${MAX_RANGE_DAYS} days (this range has ${days}).`, choice };
  return { ok: true, range: { from, to, days, timeZone, preset: null }, choice };
}

export const TICKET_STATUSES = ticketStatus.enumValues;
export const TICKET_PRIORITIES = ticketPriority.enumValues;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** Median and 90th percentile of durations in seconds; null when nothing was measured. */
export interface DurationStats {
  count: number;
  median: number | null;
  p90: number | null;
}

export interface DayCount {
  day: string;
  conversations: number;
}

export interface AgentRow {
  id: string;
  name: string;
  deactivated: boolean;
  handled: number;
  firstResponses: number;
  medianFirstResponse: number | null;
  openNow: number;
}

export interface AttentionRow {
  id: string;
  contactId: string;
  contactName: string | null;
  contactEmail: string | null;
  status: "queued" | "assigned";
  assigneeName: string | null;
  lastCustomerMessageAt: Date;
}

export interface TicketCount {
  status: TicketStatus;
  priority: TicketPriority;
  tickets: number;
}

/** Satisfaction ratings counted together: how many, how many good (4-5), the share good (null without any), and by value 1..5. */
export interface CsatCounts {
  ratings: number;
  good: number;
  share: number | null;
  distribution: [number, number, number, number, number];
}

export interface Csat extends CsatCounts {
  perDay: ({ day: string } & CsatCounts)[];
  /** `agentName` null: no assignee when the episode closed, or the agent is gone. */
  perAgent: ({ agentName: string | null } & CsatCounts)[];
}

/** Everything /analytics shows for one range. */
export interface Report {
  range: DayRange;
  perDay: DayCount[];
  firstResponse: DurationStats;
  resolution: DurationStats;
  queueWait: DurationStats;
  agents: AgentRow[];
  attention: { total: number; oldest: AttentionRow[] };
  tickets: TicketCount[];
  csat: Csat;
  /** Every label with the conversations carrying it that were active in the range (label-queries.ts). */
  labels: LabelCount[];
}

/** The figures whose rows download as CSV, by the name in /analytics/{name}.csv. */
export const FIGURES = ["conversations-per-day", "first-responses", "resolutions", "queue-waits", "agents", "attention", "tickets", "satisfaction", "satisfaction-agents", "labels"] as const;
export type Figure = (typeof FIGURES)[number];
