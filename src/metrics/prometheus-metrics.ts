// The Prometheus instruments behind the Metrics interface (metrics.ts). Labels are
// low-cardinality by construction (fixed sets below, never an id).
import { Counter, Histogram, Registry } from "prom-client";
import { LIMIT_NAMES } from "../limits/policy.ts";
import { epochNow, type Metrics } from "./metrics.ts";
import { addScrapeGauges } from "./scrape-gauges.ts";
import { socketKindOf } from "./socket-kind.ts";
import { statementMetrics } from "./statement-metrics.ts";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const SENDERS = new Set(["customer", "agent", "bot", "system"]);
/** The limits' names (src/limits/policy.ts), the socket caps' and the sign-in throttle's. */
const LIMIT_LABELS = new Set<string>([...LIMIT_NAMES, "widget_sockets_per_ip", "agent_sockets_per_ip", "login"]);

/** Seconds: a page in a few ms, a slow report in seconds. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: delivery is sub-millisecond when quiet and should stay well under a second under load. */
const DELIVERY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** nodemailer's error codes grouped into what an operator acts on. */
function emailFailureReason(err: unknown): string {
  const { code, responseCode } = (err ?? {}) as { code?: unknown; responseCode?: unknown };
  if (code === "EAUTH") return "auth";
  if (code === "ETLS") return "tls";
  if (code === "ECONNECTION" || code === "ETIMEDOUT" || code === "ESOCKET" || code === "EDNS" || code === "ECONNREFUSED") return "unreachable";
  if (typeof responseCode === "number") return responseCode >= 500 ? "rejected" : "deferred";
  return "other";
}

export function createMetrics(): Metrics & { readonly registry: Registry } {
  const registry = new Registry();
  const registers = [registry];

  const http = new Histogram({
    name: "supportdesk_http_request_duration_seconds",
    help: "Time from a request's arrival to its response, by method, route pattern and status class.",
    labelNames: ["method", "route", "status"] as const,
    buckets: HTTP_BUCKETS,
    registers,
  });
  const stored = new Counter({
    name: "supportdesk_messages_stored_total",
    help: "Messages committed on this instance, by sender kind (customer, agent, bot, system).",
    labelNames: ["sender"] as const,
    registers,
  });
  const commitToPublish = new Histogram({
    name: "supportdesk_message_commit_to_publish_seconds",
    help: "From a message's commit to its pushes being published on the bus (rendering included).",
    buckets: DELIVERY_BUCKETS,
    registers,
  });
  const publishToWrite = new Histogram({
    name: "supportdesk_message_publish_to_write_seconds",
    help: "From a message's publish (on any instance) to its write to this instance's sockets, by socket kind and path (local: same instance; redis: through the bus).",
    labelNames: ["kind", "via"] as const,
    buckets: DELIVERY_BUCKETS,
    registers,
  });
  const redeliveries = new Counter({
    name: "supportdesk_sweeper_redeliveries_total",
    help: "Messages the delivery sweeper republished to this instance's readers because their publish was lost.",
    registers,
  });
  const roundTrip = new Histogram({
    name: "supportdesk_redis_round_trip_seconds",
    help: "Round trip of this instance's bus heartbeat through Redis pub/sub (one a second; empty without REDIS_URL).",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const emailsSent = new Counter({ name: "supportdesk_emails_sent_total", help: "Emails the SMTP server accepted.", registers });
  const emailsFailed = new Counter({
    name: "supportdesk_emails_failed_total",
    help: "Emails that could not be sent, by reason (auth, tls, unreachable, rejected: 5xx, deferred: 4xx, other).",
    labelNames: ["reason"] as const,
    registers,
  });
  const refusals = new Counter({
    name: "supportdesk_rate_limit_refusals_total",
    help: "Requests, frames, sockets and sign-ins refused by a limit, by limit name.",
    labelNames: ["limit"] as const,
    registers,
  });
  // Zero series for the fixed label sets, so that rate() and alerts see them from the first scrape.
  for (const sender of SENDERS) stored.inc({ sender }, 0);
  for (const limit of LIMIT_LABELS) refusals.inc({ limit }, 0);
  for (const reason of ["auth", "tls", "unreachable", "rejected", "deferred", "other"]) emailsFailed.inc({ reason }, 0);
  for (const kind of ["widget", "inbox"]) for (const via of ["local", "redis"]) publishToWrite.zero({ kind, via });

  return {
    registry,
    addScrapeGauges: (sources) => addScrapeGauges(registry, sources),
    ...statementMetrics(registers),
    observeHttp(method, route, status, seconds) {
      http.observe({ method: METHODS.has(method) ? method : "other", route, status: `${Math.floor(status / 100)}xx` }, seconds);
    },
    messageStored(sender) {
      stored.inc({ sender: SENDERS.has(sender) ? sender : "other" });
    },
    messagePublished(committedAt) {
      commitToPublish.observe(Math.max(0, performance.now() - committedAt) / 1000);
    },
    messageWritten(topic, via, publishedAt) {
      const kind = socketKindOf(topic);
      if (kind) publishToWrite.observe({ kind, via }, Math.max(0, epochNow() - publishedAt) / 1000);
    },
    redelivered(count) {
      redeliveries.inc(count);
    },
    busRoundTrip(seconds) {
      roundTrip.observe(seconds);
    },
    emailSent() {
      emailsSent.inc();
    },
    emailFailed(err) {
      emailsFailed.inc({ reason: emailFailureReason(err) });
    },
    refused(limit) {
      refusals.inc({ limit: LIMIT_LABELS.has(limit) ? limit : "other" });
    },
  };
}

