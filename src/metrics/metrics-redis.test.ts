// With Redis (TEST_REDIS_URL): a message published on instance A and written to a socket on B is
// timed on B as publish-to-write "via redis" (A's publish time travels in the envelope), the
// heartbeat's round trip is timed, and /metrics says the subscription is up.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { silentLogger } from "../log/logger.ts";
import { redisBus } from "../realtime/redis-bus.ts";
import { closeStarted, REDIS_URL, started, TOPIC, waitFor } from "../testing/bus-instances.ts";
import { eventually } from "../testing/eventually.ts";
import { parsePrometheusText, sampleValue } from "../testing/prom-text.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import type { Metrics } from "./metrics.ts";
import { createMetrics } from "./prometheus-metrics.ts";

afterEach(closeStarted);

const figures = async (metrics: Metrics) => parsePrometheusText(await metrics.registry!.metrics());

describe.if(!!REDIS_URL)("metrics of the Redis bus", () => {
  test("a message published on A and written to a socket on B is timed on B via redis, on A via local; heartbeats time the round trip", async () => {
    const channel = `test:${crypto.randomUUID()}`;
    const [ma, mb] = [createMetrics(), createMetrics()];
    const a = await started(redisBus(REDIS_URL!, silentLogger, { channel, metrics: ma, heartbeatMs: 50, deafAfterMs: 2000 }));
    const b = await started(redisBus(REDIS_URL!, silentLogger, { channel, metrics: mb, heartbeatMs: 50, deafAfterMs: 2000 }));
    await waitFor(() => a.bus.health().ok && b.bus.health().ok, "both subscriptions");
    a.bus.publish(TOPIC, "<p>hello</p>", { conversationId: "c1", seq: 1 });
    await waitFor(() => b.received.includes("<p>hello</p>"), "the message on B");

    const onB = await figures(mb);
    expect(sampleValue(onB, "supportdesk_message_publish_to_write_seconds_count", { kind: "widget", via: "redis" })).toBe(1);
    expect(sampleValue(onB, "supportdesk_message_publish_to_write_seconds_sum", { kind: "widget", via: "redis" })).toBeLessThan(1);
    const onA = await figures(ma);
    expect(sampleValue(onA, "supportdesk_message_publish_to_write_seconds_count", { kind: "widget", via: "local" })).toBe(1);
    expect(sampleValue(onA, "supportdesk_message_publish_to_write_seconds_count", { kind: "widget", via: "redis" })).toBe(0);
    // A publish without a mark is not a message: not timed.
    a.bus.publish(TOPIC, "<p>typing</p>");
    await waitFor(() => b.received.includes("<p>typing</p>"), "the unmarked publish on B");
    expect(sampleValue(await figures(mb), "supportdesk_message_publish_to_write_seconds_count", { kind: "widget", via: "redis" })).toBe(1);

    await eventually(async () => (sampleValue(await figures(ma), "supportdesk_redis_round_trip_seconds_count") ?? 0) >= 2, "two heartbeats back");
    expect(sampleValue(await figures(ma), "supportdesk_redis_round_trip_seconds_sum")).toBeLessThan(1);
  });

  describe("an app on Redis", () => {
    const TOKEN = "metrics-redis-token-0123456789abcdef";
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { REDIS_URL: REDIS_URL!, SESSION_SECRET: "metrics-redis-secret-0123456789abcdef", METRICS_TOKEN: TOKEN } });
    });
    afterAll(() => t.close());

    test("/metrics reports the subscription up and the heartbeat's round trip", async () => {
      const scrape = async () => parsePrometheusText(await (await t.request("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } })).text());
      await eventually(async () => sampleValue(await scrape(), "supportdesk_redis_subscription_up") === 1, "the subscription up");
      // One heartbeat a second.
      await eventually(async () => (sampleValue(await scrape(), "supportdesk_redis_round_trip_seconds_count") ?? 0) >= 1, "a heartbeat's round trip", 5000);
    });
  });
});

describe("metrics without Redis", () => {
  test("no Redis subscription series (there is none to report) and an empty round-trip histogram", async () => {
    const t = await createTestApp();
    try {
      const families = parsePrometheusText(await t.ctx.metrics.registry!.metrics());
      expect(families.has("supportdesk_redis_subscription_up")).toBe(false);
      expect(sampleValue(families, "supportdesk_redis_round_trip_seconds_count")).toBe(0);
    } finally {
      await t.close();
    }
  });
});
