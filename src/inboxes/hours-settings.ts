// The inbox's hours and routing (issue 17): business hours per weekday in a time zone, the
// expected reply time the widget shows, and how new conversations are assigned. Part of the
// inbox settings form (model.ts), in its own section; `hoursSettings` is a hidden field inside it,
// so a post without the section (an older page, a script) leaves the stored settings as they are.
import { t } from "elysia";
import type { BusinessHours } from "../db/schema/index.ts";
import { parseTimeZone } from "../account/model.ts";
import { minutesOf } from "./business-hours.ts";
import type { Inbox } from "./queries.ts";

export const HOURS_LIMITS = { replyTimeText: 80, maxOpenPerAgent: 100 } as const;
const DAYS = [0, 1, 2, 3, 4, 5, 6] as const;

const field = (maxLength: number) => t.Optional(t.String({ maxLength }));
export const hoursSettingsFields = {
  hoursSettings: field(100),
  hoursOn: field(100),
  timeZone: field(200),
  replyTimeMode: field(100),
  replyTimeText: field(1000),
  assignmentMode: field(100),
  maxOpenPerAgent: field(100),
  ...Object.fromEntries(DAYS.flatMap((d) => [[`open${d}`, field(100)], [`from${d}`, field(100)], [`to${d}`, field(100)]])),
} as Record<string, ReturnType<typeof field>>;

type HoursForm = Record<string, string | undefined>;

export type HoursSettings = Pick<Inbox, "businessHours" | "timeZone" | "replyTimeMode" | "replyTimeText" | "assignmentMode" | "maxOpenPerAgent">;

/** As the section shows them: what was typed, so that a refused save loses nothing. */
export interface HoursSettingsValues {
  hoursOn: boolean;
  days: Array<{ open: boolean; from: string; to: string }>;
  timeZone: string;
  replyTimeMode: string;
  replyTimeText: string;
  assignmentMode: string;
  maxOpenPerAgent: string;
}

export type HoursField = "hours" | "timeZone" | "replyTimeMode" | "replyTimeText" | "assignmentMode" | "maxOpenPerAgent";

export function hoursValuesFromInbox(inbox: HoursSettings): HoursSettingsValues {
  const hours = inbox.businessHours;
  return {
    hoursOn: hours !== null,
    days: DAYS.map((d) => {
      const span = hours?.find((s) => s.day === d);
      // A new inbox's form suggests weekdays 09:00–17:00 when hours are switched on.
      return span ? { open: true, from: span.from, to: span.to } : { open: hours === null && d >= 1 && d <= 5, from: "09:00", to: "17:00" };
    }),
    timeZone: inbox.timeZone ?? "",
    replyTimeMode: inbox.replyTimeMode,
    replyTimeText: inbox.replyTimeText ?? "",
    assignmentMode: inbox.assignmentMode,
    maxOpenPerAgent: inbox.maxOpenPerAgent === null ? "" : String(inbox.maxOpenPerAgent),
  };
}

/** null: the section was not posted, and the stored settings stay. */
export function hoursValuesFromForm(form: HoursForm): HoursSettingsValues | null {
  if (form.hoursSettings === undefined) return null;
  return {
    hoursOn: form.hoursOn !== undefined,
    days: DAYS.map((d) => ({ open: form[`open${d}`] !== undefined, from: form[`from${d}`] ?? "", to: form[`to${d}`] ?? "" })),
    timeZone: form.timeZone ?? "",
    replyTimeMode: form.replyTimeMode ?? "",
    replyTimeText: form.replyTimeText ?? "",
    assignmentMode: form.assignmentMode ?? "",
    maxOpenPerAgent: form.maxOpenPerAgent ?? "",
  };
}

/** The settings to store, with a message per wrong field in `errors`. */
export function parseHoursSettings(values: HoursSettingsValues, errors: Partial<Record<HoursField, string>>): HoursSettings {
  let businessHours: BusinessHours | null = null;
  if (values.hoursOn) {
    businessHours = [];
    for (const [day, row] of values.days.entries()) {
      if (!row.open) continue;
      const from = minutesOf(row.from.trim());
      const to = minutesOf(row.to.trim());
      if (from === null || to === null) errors.hours = "Enter each open day's times as HH:MM, like 09:00.";
      else if (from === to) errors.hours = "An open day needs different opening and closing times (closing before opening runs overnight).";
      else businessHours.push({ day, from: row.from.trim(), to: row.to.trim() });
    }
  }
  // The same rule as the account's zone: a real IANA zone, written the canonical way.
  const typedZone = values.timeZone.trim();
  const zone = typedZone ? parseTimeZone(typedZone) : null;
  if (zone && !zone.ok) errors.timeZone = `${zone.error} Or leave it empty for the account's.`;
  const timeZone = zone?.ok ? zone.timeZone : typedZone;

  const replyTimeMode = values.replyTimeMode;
  if (replyTimeMode !== "auto" && replyTimeMode !== "fixed" && replyTimeMode !== "off") errors.replyTimeMode = "Choose what the chat says about reply times.";
  const replyTimeText = values.replyTimeText.trim();
  if (replyTimeMode === "fixed" && !replyTimeText) errors.replyTimeText = "Write what the chat says, like “Usually replies within a day”.";
  else if (replyTimeText.length > HOURS_LIMITS.replyTimeText) errors.replyTimeText = `Use at most ${HOURS_LIMITS.replyTimeText} characters (this has ${replyTimeText.length}).`;

  const assignmentMode = values.assignmentMode;
  if (assignmentMode !== "manual" && assignmentMode !== "round_robin") errors.assignmentMode = "Choose how new conversations are assigned.";
  const rawMax = values.maxOpenPerAgent.trim();
  const max = rawMax === "" ? null : /^\d{1,3}$/.test(rawMax) ? Number(rawMax) : NaN;
  if (max !== null && !(max >= 1 && max <= HOURS_LIMITS.maxOpenPerAgent)) {
    errors.maxOpenPerAgent = `Enter a whole number from 1 to ${HOURS_LIMITS.maxOpenPerAgent}, or leave it empty for no limit.`;
  }
  return {
    businessHours,
    timeZone: timeZone || null,
    replyTimeMode: replyTimeMode as HoursSettings["replyTimeMode"],
    replyTimeText: replyTimeText || null,
    assignmentMode: assignmentMode as HoursSettings["assignmentMode"],
    maxOpenPerAgent: max,
  };
}
