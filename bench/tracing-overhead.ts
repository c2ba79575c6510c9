// What tracing costs per customer message, measured on the instrumentation itself: the spans one
// message makes on the customer's instance (its frame, its statement, two publishes with their
// traceparent and their own sockets' write) and on the agents' instance (both envelopes received,
// the agents' one continuing the trace: no customer socket is there), with tracing off, on with
// 10% sampling, with none and with every trace kept (exported over HTTP to a collector stand-in in
// another process). The database and the bus
// are stand-ins that answer at once, so the figure is the tracing's own CPU time in this process
// (the default queue of 2048 spans may drop some at the higher rates, as it would in production).
//
//   bun run bench/tracing-overhead.ts          (BENCH_MESSAGES=20000)
import { silentLogger } from "../src/log/logger.ts";
import { publishSpan, receiveSpan } from "../src/tracing/bus-spans.ts";
import { tracingConfig } from "../src/tracing/config.ts";
import { useTraceIdKey } from "../src/tracing/hashed-ids.ts";
import { observingPglite } from "../src/db/statement-observer.ts";
import { statementObservers } from "../src/tracing/statement-spans.ts";
import { startTracing } from "../src/tracing/tracing.ts";
import { batchSpan, frameSpan, traceContextNow } from "../src/tracing/work-spans.ts";

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const BATCH = "with input as (select * from jsonb_to_recordset($1::jsonb)) insert into messages select * from input";
const conversation = crypto.randomUUID();
const contact = crypto.randomUUID();
const AGENTS_ONLY = { reaches: (topic: string) => topic.endsWith(":agents") };

async function oneMessage(db: { query(sql: string): Promise<unknown> }) {
  const sent: Array<[topic: string, traceparent: string]> = [];
  await frameSpan("widget", "send", () => ({ conversation, contact }), async () => {
    await batchSpan([traceContextNow()], () => db.query(BATCH));
    for (const topic of [`conv:${conversation}`, `conv:${conversation}:agents`]) {
      publishSpan(topic, 500, "redis", (traceparent) => {
        sent.push([topic, traceparent]);
        return 500;
      });
    }
  });
  // The agents' instance: each envelope received; only the agents' topic has sockets there.
  for (const [topic, traceparent] of sent) receiveSpan(topic, 500, traceparent, () => 500, AGENTS_ONLY);
}

/** CPU microseconds per message (user + system of this process), after a warm-up. */
async function measure(label: string): Promise<number> {
  const client = { query: async () => ({ rows: [], fields: [] }) } as never;
  const observer = statementObservers();
  const db = (observer ? observingPglite(client, observer) : client) as { query(sql: string): Promise<unknown> };
  // Now and then a turn of the event loop, as a server has between frames: the exporter's batches
  // are serialized and sent in those, and so counted here.
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await oneMessage(db);
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await run(2000);
  const before = process.cpuUsage();
  const started = performance.now();
  await run(MESSAGES);
  const cpu = process.cpuUsage(before);
  const perMessage = (cpu.user + cpu.system) / MESSAGES;
  console.log(`${label.padEnd(28)} ${perMessage.toFixed(1).padStart(7)} µs CPU/message   ${(((performance.now() - started) * 1000) / MESSAGES).toFixed(1).padStart(7)} µs wall/message`);
  return perMessage;
}

/** A collector in a process of its own, so that receiving the spans is not counted as their cost. */
async function collector(): Promise<{ url: string; stop(): void }> {
  const script = `const s = Bun.serve({ port: 0, hostname: "127.0.0.1", async fetch(r) { await r.arrayBuffer(); return Response.json({}); } }); console.log(s.port);`;
  const proc = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "inherit" });
  const { value } = await proc.stdout.getReader().read();
  return { url: `http://127.0.0.1:${new TextDecoder().decode(value).trim()}`, stop: () => proc.kill() };
}

useTraceIdKey("bench-secret-bench-secret-bench-secret-00");
const receiver = await collector();
const off = await measure("tracing off");
for (const [label, ratio] of [["on, none sampled", "0"], ["on, 10% sampled", "0.1"], ["on, every trace kept", "1"]] as const) {
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: ratio };
  const tracing = await startTracing(tracingConfig(env), silentLogger);
  const on = await measure(label);
  await tracing.shutdown();
  console.log(`${"".padEnd(28)} +${(on - off).toFixed(1)} µs CPU/message over off`);
}
receiver.stop();
