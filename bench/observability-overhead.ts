// What metrics and traces cost the message path (issue 15 item 4): bench/delivery at one rate with
// both off, and with metrics on (METRICS_TOKEN set, scraped every 5 s as Prometheus would) and tracing
// on (OTLP/HTTP to a receiver in this process, 10% of traces sampled), in one run. By default each
// round runs both settings at once, each at half the rate (two bench/delivery runs side by side, so
// the machine carries the whole rate): both meet the same moment of a shared host, whose speed moved
// single runs by more than the 5% to be shown. BENCH_PAIRED=0 alternates whole-rate runs instead
// (off, on, on, off, off, on...). Each run is a whole bench/delivery run (fresh database, two
// instances, warm-up, one measured step). It
// prints each round, the medians per setting, and the difference in p50, p99 and the instances' CPU
// per message; it asserts nothing.
//
//   bun run bench/observability-overhead.ts
//
// Environment (all optional):
//   BENCH_RATE      msgs/s of the measured step (1000; paired: half of it each)
//   BENCH_PAIRED    1 (default): both settings at once; 0: one after the other
//   BENCH_ROUNDS    rounds per setting (3)
//   BENCH_SECONDS   seconds of the measured step (10)
//   BENCH_SAMPLING  the traces' sampling ratio (0.1)
//   BENCH_DISCARD   rounds run first and not counted (0 paired, 1 alternating)
//   BENCH_ON        what "on" turns on: both (default), metrics, traces
//   BENCH_PG_URL, BENCH_REDIS_URL, BENCH_CONVERSATIONS: passed on to bench/delivery.ts
//   OTEL_BSP_*      passed on to the instances with tracing on (the batch span processor's settings)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { printMachine } from "./support/machine.ts";
import { f1, table } from "./support/stats.ts";
import type { StepResult } from "./delivery/step.ts";

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const PAIRED = process.env.BENCH_PAIRED !== "0";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SAMPLING = process.env.BENCH_SAMPLING ?? "0.1";
const METRICS_TOKEN = `bench-metrics-${crypto.randomUUID()}`;
const SCRAPE_EVERY_MS = 5000;
const ON = process.env.BENCH_ON ?? "both";
const DISCARD = Number(process.env.BENCH_DISCARD ?? (PAIRED ? 0 : 1));

type Setting = "off" | "on";

interface Round {
  setting: Setting;
  p50: number;
  p99: number;
  /** Both instances' CPU per message, in ms. */
  cpuPerMessageMs: number;
  lost: number;
}

// The OTLP/HTTP receiver: takes every export and counts it (an exporter that cannot deliver would
// retry and buffer, which is not what is measured).
let exports = 0;
let exportedBytes = 0;
const receiver = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  async fetch(request) {
    exportedBytes += (await request.arrayBuffer()).byteLength;
    exports++;
    return new Response(null, { status: 200 });
  },
});

function envFor(setting: Setting): Record<string, string> {
  if (setting === "off") return {};
  const metrics = { METRICS_TOKEN };
  const traces = {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`,
    OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
    OTEL_TRACES_SAMPLER_ARG: SAMPLING,
    // The batch span processor's settings, when this bench is given any (OTEL_BSP_MAX_EXPORT_BATCH_SIZE…).
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith("OTEL_BSP_")) as [string, string][]),
  };
  return { ...(ON !== "traces" ? metrics : {}), ...(ON !== "metrics" ? traces : {}) };
}

/** Scrapes both instances of the round (bench/delivery prints their addresses) while it runs. */
async function scrapeWhileRunning(output: string[], stop: Promise<unknown>): Promise<number> {
  let scrapes = 0;
  const timer = setInterval(async () => {
    const line = /instances: A (\S+), B (\S+)/.exec(output.join(""));
    for (const origin of line ? [line[1], line[2]] : []) {
      const res = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).catch(() => null);
      if (res?.status === 200) {
        await res.text();
        scrapes++;
      }
    }
  }, SCRAPE_EVERY_MS);
  await stop;
  clearInterval(timer);
  return scrapes;
}

async function runRound(setting: Setting, dir: string, index: number, counted = true, rate = RATE): Promise<Round> {
  const resultsFile = join(dir, `round-${index}.json`);
  const proc = Bun.spawn([process.execPath, "run", join(import.meta.dir, "delivery.ts")], {
    env: {
      ...process.env,
      BENCH_RATES: String(rate),
      BENCH_STEP_SECONDS: String(SECONDS),
      BENCH_INSTANCE_ENV: JSON.stringify(envFor(setting)),
      BENCH_RESULTS_FILE: resultsFile,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const output: string[] = [];
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    for (let r = await reader.read(); !r.done; r = await reader.read()) output.push(decoder.decode(r.value, { stream: true }));
  };
  const done = Promise.all([drain(proc.stdout), drain(proc.stderr), proc.exited]);
  const scraping = setting === "on" ? scrapeWhileRunning(output, done) : Promise.resolve(0);
  await done;
  const scrapes = await scraping;
  if (proc.exitCode !== 0) throw new Error(`bench/delivery failed (${setting}):\n${output.join("")}`);
  const [step] = JSON.parse(readFileSync(resultsFile, "utf8")) as StepResult[];
  const [cpuA = 0, cpuB = 0] = step!.cpu;
  const round = { setting, p50: step!.latency.p50, p99: step!.latency.p99, cpuPerMessageMs: ((cpuA + cpuB) * 10) / step!.achieved, lost: step!.lost };
  console.log(`  round ${counted ? index + 1 : "-"} (${setting}${counted ? "" : ", not counted"}): p50 ${f1(round.p50)} ms, p99 ${f1(round.p99)} ms, CPU ${round.cpuPerMessageMs.toFixed(3)} ms/msg, lost ${round.lost}${setting === "on" ? `, ${scrapes} scrapes` : ""}`);
  return round;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

printMachine("SupportDesk: what metrics and tracing cost the message path (bench/delivery, customers on A, agents on B)", `bun ${Bun.version}`);
console.log(`workload: ${PAIRED ? `${RATE / 2} msgs/s for each setting at once` : `${RATE} msgs/s`} for ${SECONDS} s per round, ${ROUNDS} rounds per setting; on = ${ON === "traces" ? "" : `METRICS_TOKEN (scraped every ${SCRAPE_EVERY_MS / 1000} s)`}${ON === "both" ? " + " : ""}${ON === "metrics" ? "" : `OTLP/HTTP traces at ${SAMPLING} sampling`}`);
const dir = mkdtempSync(join(tmpdir(), "sd-bench-overhead-"));
try {
  // Alternating: now and then a bench/delivery run is unlike the rest (p50 5-25 ms against 2-3 ms,
  // CPU per message 10-30% lower), most often the first of a bench (three of four here), whichever
  // setting it has; that first run is not counted.
  for (let i = 0; i < DISCARD; i++) await runRound("off", dir, -1 - i, false);
  const rounds: Round[] = [];
  if (PAIRED) {
    for (let i = 0; i < ROUNDS; i++) rounds.push(...(await Promise.all([runRound("off", dir, 2 * i, true, RATE / 2), runRound("on", dir, 2 * i + 1, true, RATE / 2)])));
  } else {
    // off, on, on, off, off, on...: each setting goes first in every other pair.
    const order: Setting[] = Array.from({ length: ROUNDS * 2 }, (_, i) => ((i % 2 === 0) === (Math.floor(i / 2) % 2 === 0) ? "off" : "on"));
    for (const [i, setting] of order.entries()) rounds.push(await runRound(setting, dir, i));
  }
  const of = (setting: Setting) => rounds.filter((r) => r.setting === setting);
  const summary = (["off", "on"] as const).map((setting) => ({
    setting,
    p50: median(of(setting).map((r) => r.p50)),
    p99: median(of(setting).map((r) => r.p99)),
    cpu: median(of(setting).map((r) => r.cpuPerMessageMs)),
  }));
  const [off, on] = summary as [(typeof summary)[0], (typeof summary)[0]];
  console.log("");
  // The spread of the rounds beside the medians: a difference smaller than it is noise, not a cost.
  const range = (setting: Setting, pick: (r: Round) => number, digits: number) => {
    const values = of(setting).map(pick);
    return `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;
  };
  table(
    ["setting", "p50 ms", "p99 ms", "p99 range", "CPU ms/msg (A+B)", "CPU range"],
    summary.map((s) => [s.setting, f1(s.p50), f1(s.p99), range(s.setting, (r) => r.p99, 1), s.cpu.toFixed(3), range(s.setting, (r) => r.cpuPerMessageMs, 3)]),
  );
  const pct = (a: number, b: number) => `${b >= a ? "+" : ""}${(((b - a) / a) * 100).toFixed(1)}%`;
  console.log(`on vs off (medians of the rounds): p50 ${pct(off.p50, on.p50)}, p99 ${pct(off.p99, on.p99)}, CPU per message ${pct(off.cpu, on.cpu)}`);
  if (PAIRED) {
    // Each pair met the same moment of the host: their difference is the measure, round by round.
    const pairs = Array.from({ length: ROUNDS }, (_, i) => [rounds[2 * i]!, rounds[2 * i + 1]!] as const);
    const each = (pick: (r: Round) => number) => pairs.map(([a, b]) => pct(pick(a), pick(b))).join(", ");
    console.log(`on vs off, pair by pair: CPU per message ${each((r) => r.cpuPerMessageMs)}; p99 ${each((r) => r.p99)}`);
  }
  console.log(`target (item 4): p99 and CPU per message within 5%: ${Math.abs(on.p99 / off.p99 - 1) <= 0.05 && on.cpu / off.cpu - 1 <= 0.05 ? "met" : "MISSED"}`);
  console.log(`the receiver took ${exports} OTLP exports (${(exportedBytes / 1024).toFixed(0)} KiB)`);
} finally {
  receiver.stop(true);
  rmSync(dir, { recursive: true, force: true });
}
