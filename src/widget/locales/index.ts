import { de } from "./de.ts";
import { en } from "./en.ts";

export type WidgetStrings = typeof en;
export type WidgetLocale = "en" | "de";

export const catalogs: Record<WidgetLocale, WidgetStrings> = { en, de };

/** The catalog for a requested locale ("de-AT", "de", "fr" ...): its language if we have it, else English. */
export function widgetLocale(requested: string | null | undefined): WidgetLocale {
  const language = (requested ?? "").toLowerCase().split(/[-_]/)[0];
  return isWidgetLocale(language) ? language : "en";
}

/** Whether a value is one of our locales exactly ("de", not "de-AT"), e.g. a stored one read back. */
export function isWidgetLocale(value: unknown): value is WidgetLocale {
  return typeof value === "string" && Object.hasOwn(catalogs, value);
}

/** The strings the loader needs on the host page, in every language (a few bytes each). */
export function launcherStrings(): Record<WidgetLocale, Pick<WidgetStrings, "launcherOpen" | "launcherClose" | "launcherUnread">> {
  const pick = (s: WidgetStrings) => ({ launcherOpen: s.launcherOpen, launcherClose: s.launcherClose, launcherUnread: s.launcherUnread });
  return Object.fromEntries(Object.entries(catalogs).map(([locale, strings]) => [locale, pick(strings)])) as ReturnType<typeof launcherStrings>;
}
