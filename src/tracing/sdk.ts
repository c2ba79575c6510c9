// The OpenTelemetry SDK, loaded only when tracing is on (tracing.ts imports this lazily): a
// tracer provider with the configured sampler, a batch processor and the OTLP/HTTP exporter,
// AsyncLocalStorage for the active span, and W3C trace context for what crosses the Redis bus.
import { context, diag, DiagLogLevel, propagation, trace, type DiagLogger } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { parseKeyPairsIntoRecord, W3CTraceContextPropagator, type ExportResult } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
} from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import type { Logger } from "../log/logger.ts";
import { VERSION } from "../version.ts";
import type { SamplerName, TracingConfig } from "./config.ts";
import { TRACER_NAME } from "./tracing.ts";

export function samplerOf(name: SamplerName, ratio: number): Sampler {
  const root = name.endsWith("always_off") ? new AlwaysOffSampler() : name.endsWith("traceidratio") ? new TraceIdRatioBasedSampler(ratio) : new AlwaysOnSampler();
  return name.startsWith("parentbased_") ? new ParentBasedSampler({ root }) : root;
}

/**
 * Sends our own spans only. No library's instrumentation is registered, but a dependency that
 * finds a global tracer could make spans of its own (drizzle's would carry query parameters).
 */
class OwnSpansOnly implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans.filter((s) => s.instrumentationScope.name === TRACER_NAME), done);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** The SDK's complaints (a collector that is down) as our warnings: at most one a minute. */
function diagnostics(log: Logger): DiagLogger {
  let lastAt = -Infinity;
  const warn = (message: string) => {
    const now = performance.now();
    if (now - lastAt < 60_000) return;
    lastAt = now;
    log.warn("tracing: spans could not be sent or made", { error: message.slice(0, 300) });
  };
  const quiet = () => {};
  return { error: warn, warn, info: quiet, debug: quiet, verbose: quiet };
}

export function registerSdk(config: TracingConfig, log: Logger): { flush(): Promise<void>; shutdown(): Promise<void> } {
  diag.setLogger(diagnostics(log), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  const resource = resourceFromAttributes({
    ...parseKeyPairsIntoRecord(config.resourceAttributes),
    [ATTR_SERVICE_NAME]: config.serviceName,
    [ATTR_SERVICE_VERSION]: VERSION,
    // Tells this process's spans from the other instances' (one trace crosses several).
    "service.instance.id": crypto.randomUUID(),
  });
  const exporter = new OTLPTraceExporter({ url: config.url, headers: parseKeyPairsIntoRecord(config.headers) });
  const provider = new TracerProvider({
    resource,
    sampler: samplerOf(config.sampler, config.ratio),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OwnSpansOnly(exporter), ...config.batch })],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    flush: () => provider.forceFlush(),
    async shutdown() {
      try {
        await provider.shutdown();
      } catch (err) {
        // A collector that is down or slow: what could not be sent is lost, the stop goes on.
        log.warn("tracing: the last spans could not be sent", { error: err instanceof Error ? err.message.slice(0, 300) : String(err) });
      } finally {
        // Unregistered, so a later start (a test's) begins clean.
        trace.disable();
        propagation.disable();
        context.disable();
        diag.disable();
      }
    },
  };
}
