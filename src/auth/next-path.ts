// Where sign-in sends the browser afterwards (`/login?next=...`). An open redirect here would make
// our login page a phishing tool: a link to our real sign-in that lands the agent on another site.

/** Where an agent lands when `next` is absent or refused. */
export const DEFAULT_NEXT_PATH = "/inbox";

/**
 * Browsers drop tab, CR and LF inside URLs and read a backslash as a slash, so `/\t/evil.example`
 * and `/\evil.example` both become `//evil.example`, another site. Such values are refused outright
 * rather than cleaned, since no link we make contains them.
 */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

/**
 * `next` as a path of our own origin (path, query and fragment), or DEFAULT_NEXT_PATH. It is
 * resolved the way a browser resolves a Location header, against PUBLIC_URL, and must keep that
 * origin; it must also be written as a path (`/...`), so that `https:x`, `javascript:...` and
 * scheme-relative `//x` never count.
 */
export function safeNextPath(next: string | undefined, publicUrl: URL): string {
  if (!next || next.length > 2000 || UNSAFE_CHARACTERS.test(next)) return DEFAULT_NEXT_PATH;
  if (!next.startsWith("/") || next.startsWith("//")) return DEFAULT_NEXT_PATH;
  let url: URL;
  try {
    url = new URL(next, publicUrl);
  } catch {
    return DEFAULT_NEXT_PATH;
  }
  if (url.origin !== publicUrl.origin) return DEFAULT_NEXT_PATH;
  // The parsed form, not the raw text: what we send is exactly what we checked. Dot segments can
  // still collapse into a scheme-relative path (`/.//evil.example` is `//evil.example`).
  const path = url.pathname + url.search + url.hash;
  return path.startsWith("//") ? DEFAULT_NEXT_PATH : path;
}
