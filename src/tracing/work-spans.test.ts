// The customers' batched statement in their traces: a batch holding several kept traces' messages
// is one span in the first one's trace, linked to the others'; a batch with one kept trace (of one
// message, or of several whose other traces the sampler dropped) has no span of its own, and what it
// does belongs to that message's trace directly.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { silentLogger } from "../log/logger.ts";
import { otlpReceiver, type OtlpReceiver } from "../testing/otlp-receiver.ts";
import { tracingConfig } from "./config.ts";
import { inSpan, startSpan, startTracing, type Tracing } from "./tracing.ts";
import { batchSpan } from "./work-spans.ts";

describe("a batch of customers' messages in their traces", () => {
  let receiver: OtlpReceiver;
  let tracing: Tracing;

  beforeAll(async () => {
    receiver = otlpReceiver();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER: "always_on", OTEL_BSP_SCHEDULE_DELAY: "20" };
    tracing = await startTracing(tracingConfig(env), silentLogger);
  });
  afterAll(async () => {
    await tracing?.shutdown();
    receiver?.stop();
  });

  /** A frame's span (open while its message is stored, as the frame waits for it) and its context. */
  const frame = (name: string) => {
    const span = startSpan(name, { root: true });
    return { span, context: trace.setSpan(ROOT_CONTEXT, span) };
  };
  /** A frame whose trace the sampler dropped. */
  const dropped = () => trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 0 }));

  test("several messages: one span, a child of the first message's frame, linked to the others'", async () => {
    const [first, second] = [frame("frame one"), frame("frame two")];
    await batchSpan([first.context, second.context], async () => inSpan("insert messages", {}, () => {}));
    first.span.end();
    second.span.end();
    const batch = await receiver.waitForSpan("the batch", (s) => s.name === "store customer messages");
    expect(batch.traceId).toBe(first.span.spanContext().traceId);
    expect(batch.parentSpanId).toBe(first.span.spanContext().spanId);
    expect(batch.links).toEqual([{ traceId: second.span.spanContext().traceId, spanId: second.span.spanContext().spanId }]);
    expect(batch.attributes["supportdesk.batch.messages"]).toBe(2);
    const statement = await receiver.waitForSpan("its statement", (s) => s.name === "insert messages" && s.traceId === batch.traceId);
    expect(statement.parentSpanId).toBe(batch.spanId);
  });

  test("one message: no batch span; its statement is a child of the message's frame", async () => {
    const only = frame("frame alone");
    await batchSpan([only.context], async () => inSpan("insert messages", {}, () => {}));
    only.span.end();
    const { traceId, spanId } = only.span.spanContext();
    const statement = await receiver.waitForSpan("the statement", (s) => s.name === "insert messages" && s.traceId === traceId);
    expect(statement.parentSpanId).toBe(spanId);
    expect(receiver.spans.filter((s) => s.traceId === traceId && s.name === "store customer messages")).toEqual([]);
  });

  test("several messages, one of them in a kept trace: no batch span; the statement is a child of that message's frame", async () => {
    const kept = frame("frame kept");
    await batchSpan([dropped(), kept.context, undefined, dropped()], async () => inSpan("insert messages", {}, () => {}));
    kept.span.end();
    const { traceId, spanId } = kept.span.spanContext();
    const statement = await receiver.waitForSpan("the statement", (s) => s.name === "insert messages" && s.traceId === traceId);
    expect(statement.parentSpanId).toBe(spanId);
    expect(receiver.spans.filter((s) => s.name === "store customer messages" && s.traceId === traceId)).toEqual([]);
  });
});
