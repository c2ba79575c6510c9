// The standard OTEL_* variables that SupportDesk's tracing reads (the OpenTelemetry SDK's own
// names and meanings, so any collector's instructions apply). Tracing is off unless an OTLP
// endpoint is set: nothing of the SDK is even loaded then.
import { ConfigError, fail, parseCount, parseUrl, read, type Env } from "../config-parse.ts";

export type SamplerName = "always_on" | "always_off" | "traceidratio" | "parentbased_always_on" | "parentbased_always_off" | "parentbased_traceidratio";

const SAMPLERS: readonly SamplerName[] = ["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"];

export interface TracingConfig {
  /** Where spans are POSTed (OTLP/HTTP with JSON bodies): the traces endpoint itself. */
  url: string;
  /** OTEL_EXPORTER_OTLP_HEADERS (and the _TRACES_ one): `key=value,…`, URL-encoded values. */
  headers: string | undefined;
  serviceName: string;
  /** OTEL_RESOURCE_ATTRIBUTES, `key=value,…`. */
  resourceAttributes: string | undefined;
  sampler: SamplerName;
  /** For the ratio samplers: the share of new traces kept, 0 to 1. */
  ratio: number;
  /** The batch span processor's (OTEL_BSP_*). */
  batch: { scheduledDelayMillis: number; exportTimeoutMillis: number; maxQueueSize: number; maxExportBatchSize: number };
}

/** Variables this reads, for --help and the README. */
export const TRACING_HELP: ReadonlyArray<[name: string, meaning: string]> = [
  ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTLP/HTTP collector base URL, like http://otel-collector:4318 (spans go to /v1/traces); unset: tracing is off"],
  ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "the full traces URL instead, like http://otel-collector:4318/v1/traces"],
  ["OTEL_EXPORTER_OTLP_HEADERS", "headers for the collector, like authorization=Bearer%20xyz (key=value, comma-separated)"],
  ["OTEL_SERVICE_NAME", "service.name of the spans (default supportdesk)"],
  ["OTEL_TRACES_SAMPLER", "parentbased_always_on (default), parentbased_traceidratio, traceidratio, always_on, always_off or parentbased_always_off"],
  ["OTEL_TRACES_SAMPLER_ARG", "for the ratio samplers: the share of traces kept, 0 to 1 (default 1), like 0.1"],
];

function parseRatio(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const ratio = Number(raw);
  if (!/^\d*\.?\d+$/.test(raw) || !(ratio >= 0 && ratio <= 1)) fail("OTEL_TRACES_SAMPLER_ARG", "a number from 0 to 1", raw);
  return ratio;
}

/** The traces URL: the signal's own endpoint as given, or the base endpoint with /v1/traces. */
function tracesUrl(env: Env): string | undefined {
  const own = read(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  if (own) return parseUrl("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", own, ["http:", "https:"]).toString();
  const base = read(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
  if (!base) return undefined;
  const url = parseUrl("OTEL_EXPORTER_OTLP_ENDPOINT", base, ["http:", "https:"]).toString();
  return `${url.endsWith("/") ? url : `${url}/`}v1/traces`;
}

/** null: tracing is off (no endpoint, OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none). */
export function tracingConfig(env: Env): TracingConfig | null {
  const url = tracesUrl(env);
  if (!url || read(env, "OTEL_SDK_DISABLED")?.toLowerCase() === "true") return null;
  const exporter = read(env, "OTEL_TRACES_EXPORTER");
  if (exporter === "none") return null;
  if (exporter !== undefined && exporter !== "otlp") fail("OTEL_TRACES_EXPORTER", "otlp or none", exporter);
  // Only JSON bodies are sent; a collector's OTLP/HTTP receiver takes both.
  const protocol = read(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") ?? read(env, "OTEL_EXPORTER_OTLP_PROTOCOL");
  if (protocol !== undefined && protocol !== "http/json") {
    throw new ConfigError(`OTEL_EXPORTER_OTLP_PROTOCOL must be http/json (got ${JSON.stringify(protocol)}): SupportDesk sends OTLP/HTTP with JSON bodies`);
  }
  const sampler = read(env, "OTEL_TRACES_SAMPLER") ?? "parentbased_always_on";
  if (!(SAMPLERS as readonly string[]).includes(sampler)) fail("OTEL_TRACES_SAMPLER", `one of ${SAMPLERS.join(", ")}`, sampler);
  const ms = (name: string, fallback: number) => parseCount(name, read(env, name), 1, 600_000, fallback);
  const batch = {
    scheduledDelayMillis: ms("OTEL_BSP_SCHEDULE_DELAY", 5000),
    exportTimeoutMillis: ms("OTEL_BSP_EXPORT_TIMEOUT", 30_000),
    maxQueueSize: ms("OTEL_BSP_MAX_QUEUE_SIZE", 2048),
    maxExportBatchSize: ms("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 512),
  };
  return {
    url,
    headers: read(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS") ?? read(env, "OTEL_EXPORTER_OTLP_HEADERS"),
    serviceName: read(env, "OTEL_SERVICE_NAME") ?? "supportdesk",
    resourceAttributes: read(env, "OTEL_RESOURCE_ATTRIBUTES"),
    sampler: sampler as SamplerName,
    ratio: parseRatio(read(env, "OTEL_TRACES_SAMPLER_ARG")),
    batch,
  };
}
