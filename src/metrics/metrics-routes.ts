import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import { bearerMatches } from "../auth/tokens.ts";
import type { Metrics } from "./metrics.ts";

/**
 * GET /metrics in the Prometheus text format, for a scraper that sends `Authorization: Bearer
 * {METRICS_TOKEN}`. Off (404) without METRICS_TOKEN: the figures describe the business (how many
 * customers are waiting), not for anyone who finds the URL.
 */
export function metricsRoutes(ctx: AppContext, metrics: Metrics = ctx.metrics) {
  const token = ctx.config.metricsToken;
  return new Elysia({ name: "metrics.routes" }).get("/metrics", async ({ request, set }) => {
    const registry = metrics.registry;
    if (token === null || registry === null) {
      set.status = 404;
      return "Not found";
    }
    if (!bearerMatches(request.headers.get("authorization"), token)) {
      set.status = 401;
      set.headers["www-authenticate"] = 'Bearer realm="metrics"';
      return "A valid metrics token is required.";
    }
    set.headers["content-type"] = registry.contentType;
    set.headers["cache-control"] = "no-store";
    return registry.metrics();
  });
}
