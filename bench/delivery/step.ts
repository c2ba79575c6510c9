// One step of the delivery bench: customers send at `rate` for `secs`, then what the agents
// received is compared with what was acked, and the CPU each process used is measured.
import { cpus } from "node:os";
import type postgres from "postgres";
import type { Instance } from "../../src/testing/instance-process.ts";
import { cpuSeconds, machineCpu, pidsNamed } from "../support/machine.ts";
import { dist, f0, f1, type Dist } from "../support/stats.ts";
import type { Worker } from "../support/workers.ts";
import { startFloorProbe } from "./floor.ts";
import type { TabTally } from "./agents-worker.ts";

export interface StepContext {
  sql: postgres.Sql;
  a: Instance;
  b: Instance;
  customersW: Worker;
  agentsW: Worker;
  bodyBytes: number;
  /** The bench database, for the floor probe's own connection. */
  databaseUrl: string;
  /** Agent sockets on the inbox page (one per conversation). */
  conversations: number;
}

function perSocketPerMessage(frames: number, bytes: number, sockets: number, messages: number) {
  const per = Math.max(1, sockets) * Math.max(1, messages);
  return { frames: frames / per, bytes: bytes / per };
}

export interface StepResult {
  rate: number;
  achieved: number;
  acked: number;
  ackMissing: number;
  ackLatency: Dist;
  latency: Dist;
  /** One committed single-row insert on its own connection, in the same window: the floor under the latency. */
  floor: Dist;
  /** A customer's typing signal to the agent's socket (no statement): the sockets' and the Redis hop's share of the latency. */
  transport: Dist;
  lost: number;
  duplicated: number;
  ackDup: number;
  errors: string;
  persistedPerSecond: number;
  cpu: number[];
  customerLag: { p99: number; max: number };
  agentLag: { p99: number; max: number };
  agentFramesPerSecond: number;
  agentMessageFramesPerSecond: number;
  /** Per agent socket, per customer message sent: on the inbox page with the conversation open... */
  inboxPage: { frames: number; bytes: number };
  /** ...and on the tickets page (no conversation of theirs: ideally nothing). */
  ticketsPage: { frames: number; bytes: number };
  /** The inbox page's, by the tab its list shows: all frames, and the list pushes among them. */
  inboxTabs: { tab: string; sockets: number; all: { frames: number; bytes: number }; list: { frames: number; bytes: number } }[];
}

/**
 * Each typing probe's time to its agent's socket: the first arrival on that socket after it was
 * sent and before that socket's next probe (a probe that never arrived counts for nothing).
 */
function transportLatency(probes: Array<[number, number]>, seen: Array<[number, number]>): Dist {
  const arrivals = new Map<number, number[]>();
  for (const [socket, at] of seen) (arrivals.get(socket) ?? arrivals.set(socket, []).get(socket)!).push(at);
  const nextProbe = new Map<number, number>();
  const latencies: number[] = [];
  for (const [socket, sentAt] of [...probes].reverse()) {
    const before = nextProbe.get(socket) ?? Infinity;
    const arrived = arrivals.get(socket)?.find((at) => at >= sentAt && at < before);
    if (arrived !== undefined) latencies.push(arrived - sentAt);
    nextProbe.set(socket, sentAt);
  }
  return dist(latencies);
}

export async function runStep(ctx: StepContext, s: number, rate: number, secs: number): Promise<StepResult> {
  const { sql, a, b, customersW, agentsW, bodyBytes } = ctx;
  const total = Math.round(rate * secs);
  await agentsW.call("begin", { step: s, total });
  // PostgreSQL: the backends serving this database only (other databases on a shared server are not ours).
  const pgPids = ((await sql`select pid from pg_stat_activity where datname = current_database()`) as unknown as { pid: number }[]).map((r) => r.pid);
  const redisPids = pidsNamed("redis-server");
  // One instance (BENCH_INSTANCES=1): B is A, counted once, under A.
  const tracked = [a.proc.pid, b === a ? [] : b.proc.pid, pgPids, redisPids, customersW.proc.pid, agentsW.proc.pid];
  const cpuOf = () => tracked.map((p) => (Array.isArray(p) ? p.reduce((sum, pid) => sum + cpuSeconds(pid), 0) : cpuSeconds(p)));
  const cpu0 = cpuOf();
  const box0 = machineCpu();
  const floorProbe = await startFloorProbe(ctx.databaseUrl);
  const sendStarted = performance.now();
  // The customers worker resolves after the send window plus the ack grace; CPU is sampled at the window's end.
  let cpu1: number[] = cpu0;
  let box1 = box0;
  const sampler = setTimeout(() => {
    cpu1 = cpuOf();
    box1 = machineCpu();
  }, secs * 1000);
  const sent = await customersW.call("step", { step: s, rate, seconds: secs, bodyBytes });
  clearTimeout(sampler);
  const floor = await floorProbe.stop();
  if (cpu1 === cpu0) {
    cpu1 = cpuOf();
    box1 = machineCpu();
  }
  const window = (performance.now() - sendStarted) / 1000;
  const elapsed = Math.min(window, (sent.end - sent.start) / 1000);
  const got = await agentsW.call("finish", { acked: sent.acked });
  const [{ n: rows }] = (await sql`
    select count(*)::int as n from messages
    where created_at >= ${new Date(sent.start)} and created_at < ${new Date(sent.end)}`) as unknown as [{ n: number }];
  const sendSeconds = (sent.end - sent.start) / 1000;
  const ours = cpu1.map((v, i) => ((v - cpu0[i]!) / elapsed) * 100);
  const box = ((box1.busy - box0.busy) / Math.max(1, box1.total - box0.total)) * 100 * cpus().length;
  const cpu = [...ours, box, box - ours.reduce((x, y) => x + y, 0)];
  const errors = Object.entries(sent.errors as Record<string, number>).map(([k, v]) => `${k}:${v}`).join(",") || "0";
  const result: StepResult = {
    rate,
    achieved: total / sendSeconds,
    acked: sent.acked.length,
    ackMissing: total - sent.acked.length,
    ackLatency: sent.ackLatency,
    latency: got.latency,
    floor,
    transport: transportLatency(sent.probes, got.typingSeen),
    lost: got.lost,
    duplicated: got.duplicated,
    ackDup: sent.ackDup,
    errors,
    persistedPerSecond: rows / sendSeconds,
    cpu,
    customerLag: sent.lag,
    agentLag: got.lag,
    agentFramesPerSecond: got.frames / sendSeconds,
    agentMessageFramesPerSecond: got.messageFrames / sendSeconds,
    inboxPage: perSocketPerMessage(got.frames, got.bytes, ctx.conversations, total),
    ticketsPage: perSocketPerMessage(got.ticketPageFrames, got.ticketPageBytes, got.ticketPages, total),
    inboxTabs: (got.byTab as (TabTally & { tab: string })[]).map((t) => ({
      tab: t.tab,
      sockets: t.sockets,
      all: perSocketPerMessage(t.frames, t.bytes, t.sockets, total),
      list: perSocketPerMessage(t.listFrames, t.listBytes, t.sockets, total),
    })),
  };
  if (s >= 0) {
    console.error(
      `  step ${rate}/s: sent ${total} in ${sendSeconds.toFixed(1)} s, acked ${result.acked}, delivered ${got.delivered}, p50 ${f1(got.latency.p50)} ms (floor ${f1(floor.p50)}, transport ${f1(result.transport.p50)}), p99 ${f1(got.latency.p99)} ms, ` +
        `lost ${got.lost}${got.lost ? ` (e.g. ${got.lostSample.join(",")})` : ""}, dup ${got.duplicated}, acked twice ${sent.ackDup}, errors ${errors}, rows/s ${f0(result.persistedPerSecond)}`,
    );
  }
  return result;
}
