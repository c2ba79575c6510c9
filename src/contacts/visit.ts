// What the agent sees of where a customer is: the page the widget was opened on and the browser,
// as the contact panel shows them ("Current page", "Browser"). Both come from the visitor, so they
// are checked and trimmed here and shown as text (a page is a link only when it is http or https).
import Bowser from "bowser";

/** Longer addresses are cut off rather than refused: the chat must work on any page. */
export const MAX_PAGE_URL = 2048;

export interface Visit {
  page: string | null;
  browser: string | null;
}

/** An http(s) address without its fragment, or null for anything else. */
export function pageUrl(raw: unknown): string | null {
  if (typeof raw !== "string" || !raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  url.hash = "";
  return url.href.slice(0, MAX_PAGE_URL);
}

/** "Chrome 142 on Linux", "Safari 17.4 on iOS 17.4", or null when the User-Agent names no browser. */
export function browserOf(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const parsed = Bowser.parse(userAgent.slice(0, 512));
  const name = parsed.browser.name;
  if (!name) return null;
  const major = (parsed.browser.version ?? "").replace(/^(\d+)\.0(\.0)*$/, "$1");
  const os = [parsed.os.name, parsed.os.versionName ?? (parsed.os.name === "Linux" ? undefined : parsed.os.version)].filter(Boolean).join(" ");
  return [name, major].filter(Boolean).join(" ") + (os ? ` on ${os}` : "");
}
