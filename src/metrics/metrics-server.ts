// METRICS_PORT: a second listener that serves GET /metrics only, under the same token rule as the
// main port's route, so that an operator can keep the scraper's port off the public load balancer.
import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import { metricsRoutes } from "./metrics-routes.ts";

export interface MetricsServer {
  url: URL;
  stop(): Promise<void>;
}

/** null without METRICS_PORT. Listens on HOST like the main server. */
export function serveMetrics(ctx: AppContext): MetricsServer | null {
  const { metricsPort, host } = ctx.config;
  if (metricsPort === null) return null;
  const app = new Elysia().use(metricsRoutes(ctx)).listen({ port: metricsPort, hostname: host, reusePort: false });
  const server = app.server!;
  return {
    url: new URL(`http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${server.port}/metrics`),
    stop: () => server.stop(true),
  };
}
