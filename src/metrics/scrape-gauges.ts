// The figures read when Prometheus scrapes, added to an app's registry (by createApp, through Metrics): open sockets
// per kind, the jobs' backlog, conversations per status and the queue, the Redis subscription, and
// the process (memory, event-loop lag, CPU) from prom-client's defaults. The database figures are
// the same on every instance (one shared database); each gauge group shares one statement in
// flight per scrape, since the registry starts every metric's collect at once.
import { sql } from "drizzle-orm";
import { collectDefaultMetrics, Gauge, type Registry } from "prom-client";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import type { Bus } from "../realtime/bus.ts";
import type { SocketRegistry } from "../realtime/socket-registry.ts";

export interface ScrapeSources {
  db: Db;
  sockets: SocketRegistry;
  /** The Redis bus, whose subscription is reported; null without REDIS_URL (no series then). */
  redisBus: Bus | null;
}

/** One statement per scrape, however many gauges read its row. */
function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let reading: Promise<T> | null = null;
  return () => (reading ??= read().finally(() => (reading = null)));
}

const added = new WeakSet<Registry>();

/**
 * How often prom-client's event-loop monitor wakes, in ms (its default is 10). Each wake of an idle
 * loop cost about 50 µs of CPU here: 0.5% of a core at 10 ms; what metrics cost the agents' instance
 * at 500 msgs/s fell from 10-13% to 1-4% with 100 (bench/observability-overhead). A stall of 100 ms or more still shows in every
 * figure; shorter ones show in the lag's max and percentiles when a wake falls inside them.
 */
const EVENT_LOOP_MONITOR_MS = 100;

/** prom-client's default metrics that Bun makes slow (below). */
const HEAP_SPACE_SERIES = ["nodejs_heap_space_size_total_bytes", "nodejs_heap_space_size_used_bytes", "nodejs_heap_space_size_available_bytes"];

/** Adds the scrape-time gauges to `registry`; a second call for the same registry does nothing. */
export function addScrapeGauges(registry: Registry, sources: ScrapeSources): void {
  // (noMetrics, metrics off, never calls this: no gauges, and no event-loop monitor running for nobody.)
  if (added.has(registry)) return;
  added.add(registry);
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: "supportdesk_", eventLoopMonitoringPrecision: EVENT_LOOP_MONITOR_MS });
  // Bun answers v8.getHeapSpaceStatistics() by walking the whole heap: 260 ms with two million live
  // objects, during which the event loop stands still and every socket waits, at every scrape. The
  // per-space series go; the heap's total and used size (nodejs_heap_size_*_bytes) stay.
  for (const name of HEAP_SPACE_SERIES) registry.removeSingleMetric(`supportdesk_${name}`);

  new Gauge({
    name: "supportdesk_open_sockets",
    help: "WebSockets open on this instance, by kind (widget: customers; inbox: agents).",
    labelNames: ["kind"] as const,
    registers,
    collect() {
      const { widget, inbox } = sources.sockets.countByKind();
      this.set({ kind: "widget" }, widget);
      this.set({ kind: "inbox" }, inbox);
    },
  });

  type JobFigures = { pending: number; running: number; failed: number; oldest: number | null };
  const jobFigures = sharedRead(() =>
    sources.db
      .execute(sql`
        select count(*) filter (where status = 'pending')::int as pending,
               count(*) filter (where status = 'running')::int as running,
               count(*) filter (where status = 'failed')::int as failed,
               extract(epoch from now() - min(run_at) filter (where status = 'pending' and run_at <= now()))::float8 as oldest
        from jobs where status <> 'done'`)
      .then((result) => rowsOf<JobFigures>(result)[0]),
  );
  new Gauge({
    name: "supportdesk_jobs",
    help: "Jobs in the jobs table by status (pending, running, failed; done ones are pruned after a week).",
    labelNames: ["status"] as const,
    registers,
    async collect() {
      const row = await jobFigures();
      for (const status of ["pending", "running", "failed"] as const) this.set({ status }, Number(row?.[status] ?? 0));
    },
  });
  new Gauge({
    name: "supportdesk_jobs_oldest_due_age_seconds",
    help: "How long the oldest due pending job has waited past its run time (0 when none is due).",
    registers,
    async collect() {
      this.set(Math.max(0, Number((await jobFigures())?.oldest ?? 0)));
    },
  });

  // Open conversations only: each status is counted from a partial index (status <> 'closed', and
  // the queue's own), so the cost follows what is open, not the 100,000 closed ones behind them.
  type ConversationFigures = { bot: number; queued: number; assigned: number; oldest: number | null };
  const conversationFigures = sharedRead(() =>
    sources.db
      .execute(sql`
        select count(*) filter (where status = 'bot')::int as bot,
               count(*) filter (where status = 'assigned')::int as assigned,
               (select count(*) from conversations where status = 'queued')::int as queued,
               (select extract(epoch from now() - min(queued_at)) from conversations where status = 'queued')::float8 as oldest
        from conversations where status <> 'closed'`)
      .then((result) => rowsOf<ConversationFigures>(result)[0]),
  );
  new Gauge({
    name: "supportdesk_conversations",
    help: "Open conversations by status (bot, queued, assigned); closed ones are not counted here.",
    labelNames: ["status"] as const,
    registers,
    async collect() {
      const row = await conversationFigures();
      for (const status of ["bot", "queued", "assigned"] as const) this.set({ status }, Number(row?.[status] ?? 0));
    },
  });
  new Gauge({
    name: "supportdesk_queue_oldest_wait_seconds",
    help: "How long the conversation at the head of the queue has waited for an agent (0 with an empty queue).",
    registers,
    async collect() {
      this.set(Math.max(0, Number((await conversationFigures())?.oldest ?? 0)));
    },
  });

  const bus = sources.redisBus;
  if (bus) {
    new Gauge({
      name: "supportdesk_redis_subscription_up",
      help: "1 while this instance's Redis subscription receives (its own heartbeats come back), 0 while it is lost or deaf.",
      registers,
      collect() {
        this.set(bus.health().ok ? 1 : 0);
      },
    });
  }
}
