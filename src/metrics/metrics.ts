// The instruments the app pushes figures into from inside (issue 15 item 1): created once per
// process (boot.ts) or per test app, before the database, realtime and services, and handed to
// them as an optional dependency whose default (noMetrics) records nothing. Each method costs a
// counter increment or a histogram observation: no await, nothing on the hot path that can block.
// The instruments themselves are in prometheus-metrics.ts, imported only with METRICS_TOKEN:
// prom-client costs a start a few MiB that a process with metrics off never uses. What is read at
// scrape time (sockets, jobs, conversations, the bus) is in scrape-gauges.ts.
import type { Registry } from "prom-client";
import type { StatementObserver } from "../db/statement-observer.ts";
import type { ScrapeSources } from "./scrape-gauges.ts";

export type DeliveryPath = "local" | "redis";

export interface Metrics extends StatementObserver {
  /** What GET /metrics serves; null while metrics are off (noMetrics). */
  readonly registry: Registry | null;
  /** Adds the figures read at scrape time (scrape-gauges.ts); once per registry, none for noMetrics. */
  addScrapeGauges(sources: ScrapeSources): void;
  /** One finished request: `route` is the matched pattern (src/http/route-of.ts) or "unmatched". */
  observeHttp(method: string, route: string, status: number, seconds: number): void;
  /** A message committed (a retry that returned the original is not one). */
  messageStored(sender: string): void;
  /** A committed message's pushes are published; `committedAt` is performance.now() at the commit. */
  messagePublished(committedAt: number): void;
  /**
   * A message's push was written to this instance's sockets subscribed to `topic`; `publishedAt`
   * is the publishing instance's epochNow() when it called publish.
   */
  messageWritten(topic: string, via: DeliveryPath, publishedAt: number): void;
  /** The sweeper republished messages whose first delivery was lost. */
  redelivered(count: number): void;
  /** One heartbeat through Redis and back. */
  busRoundTrip(seconds: number): void;
  emailSent(): void;
  emailFailed(err: unknown): void;
  /** A request, frame, socket or sign-in refused by a limit (rate-limits.ts names, sockets, login). */
  refused(limit: string): void;
}

/** Milliseconds since the epoch with sub-millisecond precision: comparable between processes. */
export const epochNow = () => performance.timeOrigin + performance.now();

const nothing = () => {};

/** The default of every optional `metrics` dependency: records nothing. */
export const noMetrics: Metrics = {
  registry: null,
  addScrapeGauges: nothing,
  poolSize: nothing,
  statement: () => nothing,
  transaction: () => nothing,
  observeHttp: nothing,
  messageStored: nothing,
  messagePublished: nothing,
  messageWritten: nothing,
  redelivered: nothing,
  busRoundTrip: nothing,
  emailSent: nothing,
  emailFailed: nothing,
  refused: nothing,
};
