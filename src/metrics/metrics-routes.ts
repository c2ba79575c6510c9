import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import { constantTimeEqual, hmacHex } from "../auth/tokens.ts";
import type { Metrics } from "./metrics.ts";

/**
 * GET /metrics in the Prometheus text format, for a scraper that sends `Authorization: Bearer
 * {METRICS_TOKEN}`. Off (404) without METRICS_TOKEN: the figures describe the business (how many
 * customers are waiting), not for anyone who finds the URL.
 */
export function metricsRoutes(ctx: AppContext, metrics: Metrics = ctx.metrics) {
  const token = ctx.config.metricsToken;
  // Digests of equal length, so the comparison takes the same time whatever was sent.
  const digest = (value: string) => hmacHex("metrics-token", value);
  const expected = token === null ? null : digest(token);
  return new Elysia({ name: "metrics.routes" }).get("/metrics", async ({ request, set }) => {
    if (expected === null) {
      set.status = 404;
      return "Not found";
    }
    const sent = request.headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!sent || !constantTimeEqual(digest(sent), expected)) {
      set.status = 401;
      set.headers["www-authenticate"] = 'Bearer realm="metrics"';
      return "A valid metrics token is required.";
    }
    set.headers["content-type"] = metrics.registry.contentType;
    set.headers["cache-control"] = "no-store";
    return metrics.registry.metrics();
  });
}
