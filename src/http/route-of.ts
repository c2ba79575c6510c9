// What a log line says about where a request went. Raw paths carry secrets (`/invites/<token>`)
// and ids; the route pattern (`/invites/:token`) says as much to an operator and carries none.

/** A path segment this long may be a token or an id: unmatched paths log it as ":masked". */
const MAX_PLAIN_SEGMENT = 15;

/**
 * The matched route's pattern; for a request that matched none (404) its path with every long or
 * id-like segment masked. Never the query string.
 */
export function routeOf(route: string | undefined, path: string): string {
  if (route) return route;
  return path
    .split("?")[0]!
    .split("/")
    // Long segments, numbers, escapes and anything like an address or a query (@ = ;) are masked.
    .map((segment) => (segment.length > MAX_PLAIN_SEGMENT || /\d{4,}|[%@=;]/.test(segment) ? ":masked" : segment))
    .join("/")
    .slice(0, 200);
}
