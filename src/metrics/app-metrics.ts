// The Prometheus metrics of one app (issue 15 item 1, first part): HTTP duration by route pattern,
// open sockets per kind, the jobs' backlog, and the process (memory, event-loop lag, CPU) from
// prom-client's defaults. One registry per app, not prom-client's global one: a test process
// builds many apps. Labels are low-cardinality by construction: never an id, never a raw path.
import { sql } from "drizzle-orm";
import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import type { SocketRegistry } from "../realtime/socket-registry.ts";

export interface AppMetrics {
  registry: Registry;
  /** One finished request: `route` is the matched pattern (src/http/route-of.ts). */
  observeHttp(method: string, route: string, status: number, seconds: number): void;
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Seconds: a page in a few ms, a slow report in seconds. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function appMetrics(deps: { db: Db; sockets: SocketRegistry }): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "supportdesk_" });

  const http = new Histogram({
    name: "supportdesk_http_request_duration_seconds",
    help: "Time from a request's arrival to its response, by method, route pattern and status class.",
    labelNames: ["method", "route", "status"] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });

  new Gauge({
    name: "supportdesk_open_sockets",
    help: "WebSockets open on this instance, by kind (widget: customers; inbox: agents).",
    labelNames: ["kind"] as const,
    registers: [registry],
    collect() {
      const { widget, inbox } = deps.sockets.countByKind();
      this.set({ kind: "widget" }, widget);
      this.set({ kind: "inbox" }, inbox);
    },
  });

  // Read at scrape time from the jobs table, which every instance shares: the same figure on each.
  // The registry starts every metric's collect in one go, so both gauges share the statement in
  // flight: one per scrape.
  type JobFigures = { pending: number; running: number; failed: number; oldest: number | null };
  let reading: Promise<JobFigures | undefined> | null = null;
  const jobFigures = () => {
    if (!reading) {
      const figures = deps.db
        .execute(sql`
          select count(*) filter (where status = 'pending')::int as pending,
                 count(*) filter (where status = 'running')::int as running,
                 count(*) filter (where status = 'failed')::int as failed,
                 extract(epoch from now() - min(run_at) filter (where status = 'pending' and run_at <= now()))::float8 as oldest
          from jobs where status <> 'done'`)
        .then((result) => rowsOf<JobFigures>(result)[0])
        .finally(() => (reading = null));
      reading = figures;
    }
    return reading;
  };
  new Gauge({
    name: "supportdesk_jobs",
    help: "Jobs in the jobs table by status (pending, running, failed; done ones are pruned after a week).",
    labelNames: ["status"] as const,
    registers: [registry],
    async collect() {
      const row = await jobFigures();
      for (const status of ["pending", "running", "failed"] as const) this.set({ status }, Number(row?.[status] ?? 0));
    },
  });
  new Gauge({
    name: "supportdesk_jobs_oldest_due_age_seconds",
    help: "How long the oldest due pending job has waited past its run time (0 when none is due).",
    registers: [registry],
    async collect() {
      this.set(Math.max(0, Number((await jobFigures())?.oldest ?? 0)));
    },
  });

  return {
    registry,
    observeHttp(method, route, status, seconds) {
      http.observe({ method: METHODS.has(method) ? method : "other", route, status: `${Math.floor(status / 100)}xx` }, seconds);
    },
  };
}
