// The bus's spans across two instances on Redis (with TEST_REDIS_URL): a publish on A continues on
// B as a receive span only where B's sockets have the topic. Every instance receives every publish,
// so a receive that wrote nothing would add a useless span per instance to every message's trace.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { silentLogger } from "../log/logger.ts";
import { redisBus } from "../realtime/redis-bus.ts";
import { closeStarted, REDIS_URL, started, TOPIC, waitFor } from "../testing/bus-instances.ts";
import { otlpReceiver, type OtlpReceiver } from "../testing/otlp-receiver.ts";
import { tracingConfig } from "./config.ts";
import { flushTracing, inSpan, startTracing, type Tracing } from "./tracing.ts";

afterEach(closeStarted);

describe.if(!!REDIS_URL)("bus spans across instances", () => {
  let receiver: OtlpReceiver;
  let tracing: Tracing;

  beforeAll(async () => {
    receiver = otlpReceiver();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER: "always_on" };
    tracing = await startTracing(tracingConfig(env), silentLogger);
  });
  afterAll(async () => {
    await tracing?.shutdown();
    receiver?.stop();
  });

  test("a receive span only on the instance whose sockets have the topic, a child of the publish", async () => {
    const channel = `test:${crypto.randomUUID()}`;
    // Each instance has one socket, subscribed to TOPIC; nobody has the agents' topic.
    const [a, b] = [await started(redisBus(REDIS_URL!, silentLogger, { channel })), await started(redisBus(REDIS_URL!, silentLogger, { channel }))];
    await waitFor(() => a.bus.health().ok && b.bus.health().ok, "both subscriptions");

    const nobodys = "conv:nobody:agents";
    const traceId = inSpan("widget frame send", { root: true }, (frame) => {
      a.bus.publish(nobodys, "<p>to no socket</p>");
      a.bus.publish(TOPIC, "<p>to the sockets</p>");
      return frame.spanContext().traceId;
    });
    // Redis keeps A's publishes in order: B received the first one before its socket got the second.
    await waitFor(() => b.received.includes("<p>to the sockets</p>"), "the message on B's socket");
    await flushTracing();

    const inTrace = receiver.spans.filter((s) => s.traceId === traceId);
    const publishes = inTrace.filter((s) => s.name.startsWith("publish "));
    expect(publishes.map((s) => s.name).sort()).toEqual(["publish conv:*", "publish conv:*:agents"]);
    const receives = inTrace.filter((s) => s.name.startsWith("receive "));
    expect(receives.map((s) => s.name)).toEqual(["receive conv:*"]);
    expect(receives[0]!.parentSpanId).toBe(publishes.find((s) => s.name === "publish conv:*")!.spanId);
    expect(receives[0]!.attributes["supportdesk.socket.bytes_written"]).toBeGreaterThan(0);
  });
});
