import { Elysia } from "elysia";
import { Refusal } from "../http/refusal.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether an Origin header names this deployment: the configured public origin, or the host the
 * browser addressed (a deployment reached by several names). An attacker's page cannot make a
 * victim's browser send our Host together with the attacker's Origin.
 */
export function isOwnOrigin(origin: string, host: string | null, publicOrigin: string): boolean {
  if (origin === publicOrigin) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false; // "null" (sandboxed frames) and garbage
  }
}

/**
 * Whether a request may change state on behalf of the cookie it carries. Browsers say where a
 * request comes from (Sec-Fetch-Site, Origin); a page on another site must not post to us with
 * an agent's cookie. Requests without either header come from non-browser clients, which do not
 * carry a victim's cookie.
 */
export function isSameOriginRequest(request: Request, publicOrigin: string): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return false;
  const origin = request.headers.get("origin");
  return origin === null || isOwnOrigin(origin, request.headers.get("host"), publicOrigin);
}

/**
 * Refuses cross-site state changes to cookie-authenticated pages (the JSON API uses tokens). In
 * `transform`, before the session is looked up and the body validated: another site's page learns
 * nothing about a route, not even its fields. The refusal goes through the one error handler and
 * the request log like any other.
 */
export function sameOriginGuard(publicOrigin: string) {
  return new Elysia({ name: "auth.same-origin" }).onTransform({ as: "global" }, ({ request }) => {
    if (SAFE_METHODS.has(request.method)) return;
    if (new URL(request.url).pathname.startsWith("/api/")) return;
    if (!isSameOriginRequest(request, publicOrigin)) throw new Refusal(403, "cross_site", "Cross-site request refused.");
  });
}
