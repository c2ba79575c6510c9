// The account's settings as the admin's form posts them, checked before anything is saved.
import { t } from "elysia";
import { isDateLocale } from "../../views/components/dates.ts";

/** The cap only stops garbage (400); a long name is refused with a message by parseTimeZone. */
export const accountForm = t.Object({ timeZone: t.Optional(t.String({ maxLength: 1000 })) });

/** The account's time zone and where it comes from: saved in Settings, or TIME_ZONE (the default). */
export interface AccountTimeZone {
  timeZone: string;
  saved: boolean;
}

export type TimeZoneResult = { ok: true; timeZone: string } | { ok: false; error: string };

const REFUSED = 'Enter a time zone by its IANA name, like "Europe/Berlin" or "UTC".';

/**
 * An IANA zone name as Intl knows it, in its canonical spelling ("europe/berlin" becomes
 * "Europe/Berlin"). As for TIME_ZONE (config.ts), offsets such as "+01:00" are refused although
 * Intl takes them: PostgreSQL reads a bare offset with the opposite sign.
 */
export function parseTimeZone(raw: string | undefined): TimeZoneResult {
  const name = raw?.trim() ?? "";
  if (!name) return { ok: false, error: "Choose a time zone." };
  if (name.length > 100 || !/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/.test(name)) return { ok: false, error: REFUSED };
  try {
    return { ok: true, timeZone: new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone };
  } catch {
    return { ok: false, error: `"${name}" is not a time zone. ${REFUSED}` };
  }
}

/** The zones the form suggests: every one Intl knows, and UTC. */
export function knownTimeZones(): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

/** The queue alert's form: minutes, empty for off. The cap only stops garbage (400). */
export const queueAlertForm = t.Object({ minutes: t.Optional(t.String({ maxLength: 1000 })) });

/** The longest alert wait: a day. */
export const MAX_QUEUE_ALERT_MINUTES = 1440;

export type QueueAlertResult = { ok: true; minutes: number | null } | { ok: false; error: string };

/** Whole minutes from 1 to 1440, or empty for off. */
export function parseQueueAlertMinutes(raw: string | undefined): QueueAlertResult {
  const typed = raw?.trim() ?? "";
  if (!typed) return { ok: true, minutes: null };
  const minutes = /^\d{1,4}$/.test(typed) ? Number(typed) : NaN;
  if (!(minutes >= 1 && minutes <= MAX_QUEUE_ALERT_MINUTES)) {
    return { ok: false, error: `Enter whole minutes from 1 to ${MAX_QUEUE_ALERT_MINUTES}, or leave it empty to turn the alert off.` };
  }
  return { ok: true, minutes };
}

/** The dates form: a tag from the offered list, or empty for the default. The cap only stops garbage (400). */
export const localeForm = t.Object({ locale: t.Optional(t.String({ maxLength: 1000 })) });

export type LocaleResult = { ok: true; locale: string | null } | { ok: false; error: string };

/** One of the offered locales (views/components/dates.ts), or empty: the English default. */
export function parseDateLocale(raw: string | undefined): LocaleResult {
  const tag = raw?.trim() ?? "";
  if (!tag) return { ok: true, locale: null };
  if (!isDateLocale(tag)) return { ok: false, error: "Choose a language and region from the list." };
  return { ok: true, locale: tag };
}
