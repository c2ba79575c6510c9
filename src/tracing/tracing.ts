// The app's one door to OpenTelemetry. Everything that makes spans asks `tracingOn()` first:
// with tracing off (no endpoint) that is one boolean read, no span, no context and no attribute
// is made, and the SDK is never loaded (sdk.ts is imported only when tracing starts).
import { context, SpanStatusCode, trace, type Context, type Span, type SpanOptions, type Tracer } from "@opentelemetry/api";
import type { Logger } from "../log/logger.ts";
import { SQLSTATE } from "../db/rows.ts";
import { VERSION } from "../version.ts";
import type { TracingConfig } from "./config.ts";

/** Our spans' instrumentation scope; the exporter sends no other scope's spans (sdk.ts). */
export const TRACER_NAME = "supportdesk";

let on = false;
let tracer: Tracer = trace.getTracer(TRACER_NAME, VERSION);
let flushSdk: (() => Promise<void>) | null = null;

export function tracingOn(): boolean {
  return on;
}

export interface Tracing {
  enabled: boolean;
  /** Ends tracing: the spans still buffered are sent (within the exporter's timeout), then everything is unregistered. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, shutdown: async () => {} };

/** Registers the SDK when `config` is set (main.ts, before anything else starts). */
export async function startTracing(config: TracingConfig | null, log: Logger): Promise<Tracing> {
  if (!config || on) return OFF;
  const { registerSdk } = await import("./sdk.ts");
  const sdk = registerSdk(config, log);
  tracer = trace.getTracer(TRACER_NAME, VERSION);
  flushSdk = sdk.flush;
  on = true;
  log.info("tracing on", { endpoint: new URL(config.url).origin, sampler: config.sampler, ratio: config.ratio });
  let stopping: Promise<void> | undefined;
  return {
    enabled: true,
    shutdown: () =>
      (stopping ??= (async () => {
        on = false;
        flushSdk = null;
        await sdk.shutdown();
      })()),
  };
}

/**
 * Sends the spans buffered so far (boot.ts, once a stopping server's requests are done: closing
 * the rest may be slow, and a stop that runs out of time must not lose them). Never throws.
 */
export async function flushTracing(): Promise<void> {
  await flushSdk?.().catch(() => {});
}

/**
 * The active span, when there is one that records (kept by the sampler, not ended). Spans of lower
 * layers (statements, bus deliveries) are made only under one: background polls do not each start
 * a trace of their own, and a timer that a request set does not add to the request's trace later.
 */
export function recordingParent(): Span | undefined {
  if (!on) return undefined;
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span : undefined;
}

/**
 * trace_id and span_id of the active span, for log lines: a kept trace's, still open (a timer set
 * during a request runs in its context after it ended, and is not part of it).
 */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  const span = recordingParent();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/**
 * Runs `fn` inside a new span (a child of `parent`, the active context by default) and ends it
 * when `fn` returns or its promise settles; a throw or rejection marks the span as failed.
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => T, parent: Context = context.active()): T {
  const span = tracer.startSpan(name, options, parent);
  // A trace the sampler dropped: nothing below records either, so no context is entered for it
  // (most of the cost of tracing at a 10% ratio is in the 90%).
  if (!span.isRecording()) return fn(span);
  return context.with(trace.setSpan(parent, span), () => {
    let result: T;
    try {
      result = fn(span);
    } catch (err) {
      spanFailed(span, err);
      span.end();
      throw err;
    }
    if (!(result instanceof Promise)) {
      span.end();
      return result;
    }
    return result.then(
      (value) => {
        span.end();
        return value;
      },
      (err: unknown) => {
        spanFailed(span, err);
        span.end();
        throw err;
      },
    ) as T;
  });
}

/**
 * A span around synchronous work that makes no spans of its own (a bus publish or receive): the
 * span is not entered, so nothing the work starts (a timer, a connection) keeps its context.
 */
export function spanAround<T>(name: string, options: SpanOptions, parent: Context, fn: (span: Span) => T): T {
  const span = tracer.startSpan(name, options, parent);
  try {
    return fn(span);
  } catch (err) {
    spanFailed(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** A span that the caller ends (one that outlives the call that starts it, such as an HTTP request's). */
export function startSpan(name: string, options: SpanOptions, parent: Context = context.active()): Span {
  return tracer.startSpan(name, options, parent);
}

/**
 * Marks a span as failed with the error's kind only: an error's message may quote a value (a
 * database error names the duplicate email), so it never goes into a span.
 */
export function spanFailed(span: Span, err: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttribute("error.type", errorType(err));
}

function errorType(err: unknown): string {
  // A driver error's SQLSTATE (on the error or on drizzle's wrapper's cause) says what failed without quoting anything.
  const code = (err as { code?: unknown; cause?: { code?: unknown } } | null)?.code ?? (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (typeof code === "string" && SQLSTATE.test(code)) return `sqlstate ${code}`;
  return err instanceof Error ? err.constructor.name : typeof err;
}
