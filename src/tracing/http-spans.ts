// A server span per HTTP request, named by method and route pattern ("GET /invites/:token"),
// never by the raw path (ids, tokens) and without the query string, headers or body; none for the
// probes and scrapes (/health, /ready, /metrics). Registered globally like the request log; with
// tracing off it is an empty plugin.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import { Elysia } from "elysia";
import { QUIET_PATHS, statusOf } from "../http/request-log.ts";
import { routeOf } from "../http/route-of.ts";
import { startSpan, tracingOn } from "./tracing.ts";

type Handler = (...args: unknown[]) => unknown;

/** The path of an absolute request URL, without building a URL object. */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const end = url.slice(start).search(/[?#]/);
  return end < 0 ? url.slice(start) : url.slice(start, start + end);
}

export function httpSpans() {
  const plugin = new Elysia({ name: "tracing.http-spans" });
  if (!tracingOn()) return plugin;
  const spans = new WeakMap<Request, Span>();
  return (
    plugin
      // The whole request runs inside its span's context, so what the handler does (statements,
      // publishes, log lines) belongs to it. Elysia's hooks cannot enter a context; its wrap can.
      .wrap(((handle: Handler, request: Request) => {
        // Probes and scrapes every few seconds: a trace each would bury the traces worth reading.
        if (QUIET_PATHS.has(pathOf(request.url))) return handle;
        // A proxy's trace context continues here; nothing else of the headers is read.
        const traceparent = request.headers.get("traceparent");
        const parent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
        const span = startSpan(request.method, { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method } }, parent);
        if (!span.isRecording()) return handle;
        spans.set(request, span);
        const active = trace.setSpan(parent, span);
        return (...args: unknown[]) => context.with(active, () => handle(...args));
      }) as never)
      .onAfterResponse({ as: "global" }, ({ request, set, path, route, responseValue }) => {
        const span = spans.get(request);
        if (!span) return;
        spans.delete(request);
        const status = statusOf(responseValue, set.status);
        const pattern = routeOf(route, path);
        span.updateName(`${request.method} ${pattern}`);
        span.setAttributes({ "http.route": pattern, "http.response.status_code": status });
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      })
  );
}
