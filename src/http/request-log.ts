import { Elysia } from "elysia";
import type { Logger } from "../log/logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { routeOf } from "./route-of.ts";

/** Probes and scrapers hit these every few seconds; at info level they would bury everything else. */
export const QUIET_PATHS = new Set(["/health", "/ready", "/metrics"]);

/**
 * One line per request: method, route (the matched pattern such as `/invites/:token`, never the
 * raw path, whose segments may be tokens or ids, and never the query string), status and duration.
 * Nothing else of the request is read, so no body or header can leak into the log.
 */
export function requestLog(log: Logger, metrics?: Pick<Metrics, "observeHttp">) {
  const started = new WeakMap<Request, number>();
  return new Elysia({ name: "http.request-log" })
    .onRequest(({ request }) => {
      started.set(request, performance.now());
    })
    .onAfterResponse({ as: "global" }, ({ request, set, path, route, responseValue }) => {
      const start = started.get(request);
      const status = statusOf(responseValue, set.status);
      const elapsed = start === undefined ? undefined : performance.now() - start;
      const line = {
        method: request.method,
        route: routeOf(route, path),
        status,
        ms: elapsed === undefined ? undefined : Math.round(elapsed * 10) / 10,
      };
      // A metric's labels must stay few: no matched route (scanners' 404s) is one label, not a path each.
      if (elapsed !== undefined) metrics?.observeHttp(line.method, route ? route : "unmatched", status, elapsed / 1000);
      if (QUIET_PATHS.has(path)) log.debug("request", line);
      else log.info("request", line);
    });
}

/**
 * A handler may set the status on `set` (pages with errors), return a Response (redirects) or a
 * status() value. The html plugin wraps pages in a Response of 200 before `set.status` is applied,
 * so a status on `set` other than 200 wins.
 */
export function statusOf(value: unknown, setStatus: unknown): number {
  if (typeof setStatus === "number" && setStatus !== 200) return setStatus;
  if (value instanceof Response) return value.status;
  if (value && typeof value === "object" && "code" in value && typeof value.code === "number") return value.code;
  return typeof setStatus === "number" ? setStatus : 200;
}
