// What the agent sees of where a customer is: the page the widget was opened on and the browser,
// as the contact panel shows them ("Current page", "Browser"). Both come from the visitor, so they
// are checked and trimmed here and shown as text (a page is a link only when it is http or https).
// Of the page only what agents need is kept (see pageUrl).
import Bowser from "bowser";

/** Longer addresses are cut off rather than refused: the chat must work on any page. */
export const MAX_PAGE_URL = 2048;

export interface Visit {
  page: string | null;
  browser: string | null;
}

/**
 * An http(s) address as it is stored, or null for anything else. The fragment is always dropped and
 * the query string unless the inbox keeps it (`keepPageQuery`, off by default): both may carry the
 * host site's tokens (`?token=`, `#access_token=`) or personal data, and agents need only the page.
 * Credentials in the address (`https://user:pass@host/`) are dropped too.
 */
export function pageUrl(raw: unknown, inbox: { keepPageQuery: boolean }): string | null {
  if (typeof raw !== "string" || !raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  url.hash = "";
  url.username = url.password = "";
  if (!inbox.keepPageQuery) url.search = "";
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
