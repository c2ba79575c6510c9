// Tracing's configuration, read from the standard OTEL_* variables: off without an endpoint (and
// then nothing of it runs), the endpoint and headers as collectors document them, and the
// samplers, 10% sampling included.
import { describe, expect, test } from "bun:test";
import { context, ROOT_CONTEXT, SpanKind, trace, TraceFlags } from "@opentelemetry/api";
import { SamplingDecision } from "@opentelemetry/sdk-trace";
import { parseConfig } from "../config.ts";
import { silentLogger } from "../log/logger.ts";
import { tracingConfig } from "./config.ts";
import { samplerOf } from "./sdk.ts";
import { statementObservers } from "./statement-spans.ts";
import { startTracing, tracingOn } from "./tracing.ts";

const ENDPOINT = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };

describe("tracing configuration", () => {
  test("without an endpoint tracing is off, whatever else is set; and off, nothing is registered", async () => {
    expect(parseConfig({}).tracing).toBeNull();
    expect(tracingConfig({ OTEL_SERVICE_NAME: "x", OTEL_TRACES_SAMPLER: "always_on", OTEL_EXPORTER_OTLP_HEADERS: "a=b" })).toBeNull();
    expect(tracingConfig({ ...ENDPOINT, OTEL_SDK_DISABLED: "true" })).toBeNull();
    expect(tracingConfig({ ...ENDPOINT, OTEL_TRACES_EXPORTER: "none" })).toBeNull();

    const tracing = await startTracing(null, silentLogger);
    expect(tracing.enabled).toBe(false);
    expect(tracingOn()).toBe(false);
    // No provider: the API's spans record nothing and no exporter exists to send them;
    // no context manager: nothing is kept per async call.
    expect(trace.getTracer("supportdesk").startSpan("x").isRecording()).toBe(false);
    const ctx = ROOT_CONTEXT.setValue(Symbol("k"), 1);
    expect(context.with(ctx, () => context.active())).toBe(ROOT_CONTEXT);
    // No observer of the statements: without metrics, the database clients are handed over unwrapped.
    expect(statementObservers(undefined)).toBeUndefined();
  });

  test("the endpoint gets /v1/traces; the traces endpoint is taken as it is; headers and service name pass through", () => {
    expect(tracingConfig(ENDPOINT)?.url).toBe("http://collector:4318/v1/traces");
    expect(tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "https://c.example/otlp/" })?.url).toBe("https://c.example/otlp/v1/traces");
    const own = tracingConfig({ ...ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://other:9999/traces", OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20x", OTEL_SERVICE_NAME: "desk-eu" });
    expect(own).toMatchObject({ url: "http://other:9999/traces", headers: "authorization=Bearer%20x", serviceName: "desk-eu", sampler: "parentbased_always_on", ratio: 1 });
    expect(tracingConfig(ENDPOINT)?.serviceName).toBe("supportdesk");
  });

  test("bad values are refused with one line naming the variable", () => {
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" }, /^OTEL_EXPORTER_OTLP_ENDPOINT must be a URL/],
      [{ ...ENDPOINT, OTEL_TRACES_SAMPLER: "sometimes" }, /^OTEL_TRACES_SAMPLER must be one of/],
      [{ ...ENDPOINT, OTEL_TRACES_SAMPLER_ARG: "1.5" }, /^OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1/],
      [{ ...ENDPOINT, OTEL_TRACES_SAMPLER_ARG: "ten" }, /^OTEL_TRACES_SAMPLER_ARG must be/],
      [{ ...ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, /^OTEL_EXPORTER_OTLP_PROTOCOL must be http\/json/],
      [{ ...ENDPOINT, OTEL_TRACES_EXPORTER: "zipkin" }, /^OTEL_TRACES_EXPORTER must be otlp or none/],
    ];
    for (const [env, message] of bad) expect(() => parseConfig(env)).toThrow(message);
  });

  test("parentbased_traceidratio with 0.1 keeps about a tenth of new traces and follows a caller's decision", () => {
    const config = tracingConfig({ ...ENDPOINT, OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.1" })!;
    expect(config).toMatchObject({ sampler: "parentbased_traceidratio", ratio: 0.1 });
    const sampler = samplerOf(config.sampler, config.ratio);
    const randomTraceId = () => crypto.getRandomValues(new Uint8Array(16)).reduce((hex, b) => hex + b.toString(16).padStart(2, "0"), "");
    const decide = (parent = ROOT_CONTEXT) => sampler.shouldSample(parent, randomTraceId(), "frame", SpanKind.SERVER, {}, []).decision;
    const kept = Array.from({ length: 4000 }, () => decide()).filter((d) => d === SamplingDecision.RECORD_AND_SAMPLED).length;
    // 400 expected; the odds of leaving 300..500 by chance are about one in 10^7.
    expect(kept).toBeGreaterThan(300);
    expect(kept).toBeLessThan(500);
    const parent = (flags: TraceFlags) => trace.setSpanContext(ROOT_CONTEXT, { traceId: randomTraceId(), spanId: "b7ad6b7169203331", traceFlags: flags, isRemote: true });
    for (let i = 0; i < 50; i++) {
      expect(decide(parent(TraceFlags.SAMPLED))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      expect(decide(parent(TraceFlags.NONE))).toBe(SamplingDecision.NOT_RECORD);
    }
  });
});
