// What the inbox bench prints for a measured phase: the server time per route from the
// instance's own request log, what the agents' clients saw, the writes, CPU and lag.
import { cpus, loadavg } from "node:os";
import type { Instance } from "../../src/testing/instance-process.ts";
import { dist, f0, f1, table, type Dist } from "../support/stats.ts";
import type { Msg } from "../support/workers.ts";
import type { Route } from "./agents-worker.ts";

/** The target: p95 of the server time per route. */
export const P95_TARGET_MS = 15;

interface LogLine {
  time: string;
  msg: string;
  method?: string;
  /** The matched route's pattern, e.g. /inbox/c/:id (src/http/request-log.ts). */
  route?: string;
  status?: number;
  ms?: number;
}

/** The instance's request log lines written between two instants (epoch ms), by route. */
function serverTimes(instance: Instance, from: number, to: number) {
  const byRoute = new Map<string, { ms: number[]; statuses: Record<string, number> }>();
  let warnings = 0;
  const warningSamples = new Set<string>();
  for (const line of instance.output.join("").split("\n")) {
    if (!line.startsWith("{")) continue;
    let entry: LogLine;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const at = Date.parse(entry.time);
    if (at < from || at > to) continue;
    if (entry.msg !== "request") {
      warnings++;
      if (warningSamples.size < 5) warningSamples.add(line.slice(0, 200));
      continue;
    }
    const route = `${entry.method} ${entry.route}`;
    let r = byRoute.get(route);
    if (!r) byRoute.set(route, (r = { ms: [], statuses: {} }));
    r.statuses[String(entry.status)] = (r.statuses[String(entry.status)] ?? 0) + 1;
    if (entry.status === 200 && typeof entry.ms === "number") r.ms.push(entry.ms);
  }
  return { byRoute, warnings, warningSamples: [...warningSamples] };
}

export type Phase = { reads: Msg; writes: Msg; rows: number; cpu: number[]; window: { from: number; to: number } };

export function report(instance: Instance, phase: Phase, thinkMs: number): string[] {
  const { byRoute, warnings, warningSamples } = serverTimes(instance, phase.window.from, phase.window.to);
  const { reads, writes } = phase;
  const routes: Route[] = ["/inbox", "/inbox/c/:id"];
  const phaseName = thinkMs > 0 ? `agents pausing ${thinkMs} ms on average between pages` : "agents loading pages back to back (the most this machine serves)";
  console.log("");
  console.log(`--- ${phaseName} ---`);
  console.log("server time (instance request log, ms) and what the agents' clients saw (fetch to last byte, ms):");
  table(
    ["route", "requests", "req/s", "p50", "p95", "p99", "max", "client p50", "p95", "p99", "max", "statuses"],
    routes.map((route) => {
      const server = dist(byRoute.get(`GET ${route}`)?.ms ?? []);
      const client = reads.latency[route] as Dist;
      const statuses = Object.entries(byRoute.get(`GET ${route}`)?.statuses ?? {}).map(([k, v]) => `${k}:${v}`).join(",");
      return [route, String(server.n), f0(server.n / reads.elapsed), f1(server.p50), f1(server.p95), f1(server.p99), f1(server.max), f1(client.p50), f1(client.p95), f1(client.p99), f1(client.max), statuses];
    }),
  );
  const others = [...byRoute.entries()].filter(([route]) => !routes.some((r) => route === `GET ${r}`));
  if (others.length) console.log(`other requests in the window: ${others.map(([route, r]) => `${route} ${r.ms.length}`).join(", ")}`);
  const failures = Object.entries(reads.failures as Record<string, number>);
  const tabs = Object.entries(reads.tabs as Record<string, number>).map(([k, v]) => `${k} ${v}`).join(", ");
  console.log(`agents: tabs loaded ${tabs}; ${(reads.bytes / reads.elapsed / 2 ** 20).toFixed(1)} MiB/s of pages; failed requests ${failures.length ? failures.map(([k, v]) => `${k}: ${v}`).join("; ") : 0}`);
  if (reads.frames) {
    const perMessage = (n: number) => n / Math.max(1, reads.sockets) / Math.max(1, writes.acked);
    console.log(
      `agents' inbox sockets: ${f0(reads.frames / reads.elapsed)} frames/s in all (${(reads.frameBytes / reads.elapsed / 2 ** 10).toFixed(0)} KiB/s); ` +
        `per socket per customer message: ${perMessage(reads.frames).toFixed(3)} frames, ${f0(perMessage(reads.frameBytes))} B`,
    );
  }
  const writeSeconds = (writes.end - writes.start) / 1000;
  const errors = Object.entries(writes.errors as Record<string, number>).map(([k, v]) => `${k}:${v}`).join(",") || "0";
  console.log(
    `writes: sent ${writes.total} in ${writeSeconds.toFixed(1)} s (${f0(writes.total / writeSeconds)}/s), acked ${writes.acked}, ` +
      `persisted ${phase.rows} (${f0(phase.rows / writeSeconds)} rows/s), ack latency p50 ${f1(writes.ackLatency.p50)} p99 ${f1(writes.ackLatency.p99)} max ${f1(writes.ackLatency.max)} ms, errors ${errors}`,
  );
  const [inst, pg, redis, agentsClient, customersClient, box] = phase.cpu as [number, number, number, number, number, number];
  console.log(
    `cpu (% of one core): instance ${f0(inst)}, postgres ${f0(pg)}, redis ${f0(redis)}, agents' client ${f0(agentsClient)}, customers' client ${f0(customersClient)}; ` +
      `whole machine ${f0(box)} of ${cpus().length * 100}, of which not this bench ${f0(Math.max(0, box - inst - pg - redis - agentsClient - customersClient))} (PostgreSQL's background work, anything else running)`,
  );
  console.log(`event-loop lag p99/max (ms): agents' client ${f0(reads.lag.p99)}/${f0(reads.lag.max)}, customers' client ${f0(writes.lag.p99)}/${f0(writes.lag.max)}`);
  if (warnings) console.log(`instance log lines other than requests in the window: ${warnings}, e.g.\n  ${warningSamples.join("\n  ")}`);
  console.log(`machine load after the phase: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  return routes.map((route) => {
    const server = dist(byRoute.get(`GET ${route}`)?.ms ?? []);
    return `target (server p95 <= ${P95_TARGET_MS} ms), ${thinkMs > 0 ? `pausing ${thinkMs} ms` : "back to back"}, ${route}: ${server.p95 <= P95_TARGET_MS ? "met" : "MISSED"} (p95 ${f1(server.p95)} ms at ${f0(server.n / reads.elapsed)} req/s)`;
  });
}
