/** `value` when it is exactly an origin (scheme://host[:port], nothing after it), otherwise null. */
export function parseOrigin(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const origin = new URL(value).origin;
    return origin === value && origin !== "null" ? origin : null;
  } catch {
    return null;
  }
}

/**
 * The CSP `frame-ancestors` sources for an inbox's widget page: the inbox's allowed origins plus
 * our own (the /demo page), or any page when the inbox has no list (docs/widget-protocol.md).
 * A stored value that is not a plain origin is left out rather than trusted into a header.
 */
export function frameAncestors(allowedOrigins: string[], ownOrigin: string): string {
  if (allowedOrigins.length === 0) return "*";
  const sources = new Set([ownOrigin]);
  for (const value of allowedOrigins) {
    const origin = parseOrigin(value.replace(/\/$/, ""));
    if (origin) sources.add(origin);
  }
  return [...sources].join(" ");
}

/**
 * Whether a page of `origin` may show the widget: the same list as frameAncestors, so that what the
 * loader is told ("refused") and what the browser enforces (the header) never disagree.
 */
export function embedAllowed(allowedOrigins: string[], origin: string, ownOrigin: string): boolean {
  const sources = frameAncestors(allowedOrigins, ownOrigin);
  return sources === "*" || sources.split(" ").includes(origin);
}
