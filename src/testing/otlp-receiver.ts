// An OTLP/HTTP trace receiver inside the test process, as a collector would be: it takes
// POST /v1/traces with JSON bodies (what the app's exporter sends) and keeps every span, and
// every body as received, so a test can also search the raw text for what must never be there.
import { expect } from "bun:test";
import { eventually } from "./eventually.ts";

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** OTLP's numbers: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
  links: Array<{ traceId: string; spanId: string }>;
  /** The resource's service.name and service.instance.id (one per process). */
  service: string;
  instance: string;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
type OtlpAttributes = Array<{ key: string; value: OtlpValue }> | undefined;

function attributesOf(list: OtlpAttributes): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    out[key] = value.stringValue ?? value.boolValue ?? value.doubleValue ?? Number(value.intValue);
  }
  return out;
}

export interface OtlpReceiver {
  /** The base URL, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  spans: ReceivedSpan[];
  /** Every request body, as it arrived. */
  bodies: string[];
  waitForSpan(what: string, match: (span: ReceivedSpan) => boolean, timeoutMs?: number): Promise<ReceivedSpan>;
  stop(): void;
}

export function otlpReceiver(): OtlpReceiver {
  const spans: ReceivedSpan[] = [];
  const bodies: string[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      if (request.method !== "POST" || new URL(request.url).pathname !== "/v1/traces") return new Response("not found", { status: 404 });
      if (!request.headers.get("content-type")?.startsWith("application/json")) return new Response("JSON only", { status: 415 });
      const text = await request.text();
      bodies.push(text);
      const body = JSON.parse(text) as {
        resourceSpans: Array<{
          resource: { attributes: OtlpAttributes };
          scopeSpans: Array<{ spans: Array<Record<string, unknown>> }>;
        }>;
      };
      for (const resourceSpans of body.resourceSpans) {
        const resource = attributesOf(resourceSpans.resource.attributes);
        const [service, instance] = [String(resource["service.name"]), String(resource["service.instance.id"])];
        for (const scope of resourceSpans.scopeSpans) {
          for (const s of scope.spans) {
            spans.push({
              traceId: s.traceId as string,
              spanId: s.spanId as string,
              parentSpanId: (s.parentSpanId as string | undefined) || undefined,
              name: s.name as string,
              kind: s.kind as number,
              attributes: attributesOf(s.attributes as OtlpAttributes),
              links: ((s.links as Array<{ traceId: string; spanId: string }> | undefined) ?? []).map(({ traceId, spanId }) => ({ traceId, spanId })),
              service,
              instance,
            });
          }
        }
      }
      return Response.json({});
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    spans,
    bodies,
    async waitForSpan(what, match, timeoutMs = 10_000) {
      await eventually(() => spans.some(match), what, timeoutMs);
      return spans.find(match)!;
    },
    stop: () => void server.stop(true),
  };
}

/**
 * Nothing the receiver got (span names, attributes, events, links, resources: every body as
 * received) holds any of `secrets`, as written or JSON-escaped.
 */
export function assertNothingRaw(receiver: Pick<OtlpReceiver, "bodies">, secrets: string[]): void {
  const everything = receiver.bodies.join("\n");
  expect(everything.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(4);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(JSON.stringify(secret).slice(1, -1));
  }
}
