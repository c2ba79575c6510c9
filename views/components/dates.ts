// Every date, time and count the server writes for agents goes through here, in the account's
// "Language and region for dates" (account_settings.locale). Without one, the English default:
// "2026-11-21 14:03", "Sat 21 Nov 2026". Times are in UTC, as everywhere in the inbox.
//
// The locale is the account's, not a viewer's: a push is rendered once and its bytes go to every
// agent (ARCHITECTURE §5), so it is held here for the process (src/account/date-locale.ts keeps it
// in step with the database) rather than passed down through every partial.

/** The locales offered in Settings (BCP 47 tags), each named in its own language. */
export const DATE_LOCALES: ReadonlyArray<{ tag: string; name: string }> = [
  { tag: "en-US", name: "English (United States)" },
  { tag: "en-GB", name: "English (United Kingdom)" },
  { tag: "en-AU", name: "English (Australia)" },
  { tag: "en-CA", name: "English (Canada)" },
  { tag: "en-IN", name: "English (India)" },
  { tag: "de-DE", name: "Deutsch (Deutschland)" },
  { tag: "de-AT", name: "Deutsch (Österreich)" },
  { tag: "de-CH", name: "Deutsch (Schweiz)" },
  { tag: "fr-FR", name: "Français (France)" },
  { tag: "fr-CA", name: "Français (Canada)" },
  { tag: "es-ES", name: "Español (España)" },
  { tag: "es-MX", name: "Español (México)" },
  { tag: "it-IT", name: "Italiano (Italia)" },
  { tag: "nl-NL", name: "Nederlands (Nederland)" },
  { tag: "pt-BR", name: "Português (Brasil)" },
  { tag: "pt-PT", name: "Português (Portugal)" },
  { tag: "pl-PL", name: "Polski (Polska)" },
  { tag: "sv-SE", name: "Svenska (Sverige)" },
  { tag: "da-DK", name: "Dansk (Danmark)" },
  { tag: "nb-NO", name: "Norsk bokmål (Norge)" },
  { tag: "fi-FI", name: "Suomi (Suomi)" },
  { tag: "cs-CZ", name: "Čeština (Česko)" },
  { tag: "tr-TR", name: "Türkçe (Türkiye)" },
  { tag: "uk-UA", name: "Українська (Україна)" },
  { tag: "ja-JP", name: "日本語 (日本)" },
  { tag: "ko-KR", name: "한국어 (대한민국)" },
  { tag: "zh-CN", name: "中文 (中国)" },
];

const OFFERED = new Set(DATE_LOCALES.map((l) => l.tag));

/** Whether `tag` is one of the offered locales (the setting accepts nothing else). */
export const isDateLocale = (tag: string): boolean => OFFERED.has(tag);

let current: string | null = null;

/** The locale dates are written in from now on; null: the English default. */
export function setDateLocale(tag: string | null): void {
  current = tag !== null && isDateLocale(tag) ? tag : null;
}

export function dateLocale(): string | null {
  return current;
}

// Intl formatters are costly to build and a page writes hundreds of dates: one per locale and shape.
const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

const UTC = { timeZone: "UTC" } as const;
const DAY_OPTIONS = { ...UTC, weekday: "short", day: "numeric", month: "short", year: "numeric" } as const;

/** Hours and minutes (UTC): "14:03"; "2:03 PM" in en-US. */
export function formatTime(at: Date, locale = current): string {
  if (!locale) return at.toISOString().slice(11, 16);
  return formatter(locale, { ...UTC, hour: "numeric", minute: "2-digit" }).format(at);
}

/** Date and time to the minute (UTC): "2026-11-21 14:03"; "21.11.2026, 14:03" in de-DE. */
export function formatDateTime(at: Date, locale = current): string {
  if (!locale) return at.toISOString().slice(0, 16).replace("T", " ");
  return formatter(locale, { ...UTC, dateStyle: "medium", timeStyle: "short" }).format(at);
}

/** A day (YYYY-MM-DD, a calendar day) with its weekday: "Sat 21 Nov 2026"; "Sa., 21. Nov. 2026" in de-DE. */
export function formatDay(day: string, locale = current): string {
  const text = formatter(locale ?? "en-GB", DAY_OPTIONS).format(new Date(`${day}T00:00:00Z`));
  // ICU writes "Sat, 21 Nov 2026" for en-GB; the default keeps the shape analytics always wrote ("Sat 21 Nov 2026").
  return locale ? text : text.replace(/^(\p{L}+),/u, "$1");
}

/** A day (YYYY-MM-DD) without its year, for a chart's axis: "3 Mar"; "3. März" in de-DE. */
export function formatShortDay(day: string, locale = current): string {
  return formatter(locale ?? "en-GB", { ...UTC, day: "numeric", month: "short" }).format(new Date(`${day}T00:00:00Z`));
}

/** An instant to the minute in a given zone: "3 Mar 2025, 14:03"; "03.03.2025, 14:03" in de-DE. */
export function formatZonedMinute(at: Date, timeZone: string, locale = current): string {
  if (!locale) return formatter("en-GB", { timeZone, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
  return formatter(locale, { timeZone, dateStyle: "medium", timeStyle: "short" }).format(at);
}

/** A count: "1,234"; "1.234" in de-DE. */
export function formatCount(n: number, locale = current): string {
  return n.toLocaleString(locale ?? "en-US");
}
