// What the delivery bench prints at its end: a row per step, and whether the targets were met.
import { f0, f1, table } from "../support/stats.ts";
import type { StepResult } from "./step.ts";
import { P99_TARGET_MS } from "./targets.ts";

/** `conversations`: how many agent sockets there were; `skipped`: rates not run after an overloaded one. */
export function printReport(results: StepResult[], skipped: number[], conversations: number): void {
  const N = conversations;
  console.log("");
  table(
    ["target/s", "sent/s", "acked", "ack p50", "ack p99", "floor p50", "transport p50", "p50 ms", "p95", "p99", "p99.9", "max", "lost", "dup", "no ack", "errors", "rows/s", "cpu A%", "B%", "pg%", "redis%", "cust%", "agts%", "box%", "other%", "lag p99/max c", "a"],
    results.map((r) => [
      String(r.rate),
      f0(r.achieved),
      String(r.acked),
      f1(r.ackLatency.p50),
      f1(r.ackLatency.p99),
      f1(r.floor.p50),
      f1(r.transport.p50),
      f1(r.latency.p50),
      f1(r.latency.p95),
      f1(r.latency.p99),
      f1(r.latency.p999),
      f1(r.latency.max),
      String(r.lost),
      String(r.duplicated),
      String(r.ackMissing),
      r.errors,
      f0(r.persistedPerSecond),
      ...r.cpu.map(f0),
      `${f0(r.customerLag.p99)}/${f0(r.customerLag.max)}`,
      `${f0(r.agentLag.p99)}/${f0(r.agentLag.max)}`,
    ]),
  );
  console.log(
    "latency: customer ws.send -> agent socket receives the partial (of the messages delivered within the grace); ack: ws.send -> ack. " +
      "floor: one committed single-row insert on a connection of its own during the step (what no message can beat). " +
      "transport: a customer's typing signal to the agent's socket (customer socket -> A -> Redis -> B -> agent socket, no statement), every 20 ms during the step. " +
      "lost: acked within the grace but not delivered within the grace; no ack: not acked within the grace. cpu: % of one core over the send window " +
      "(pg = the backends of the bench database, box = whole machine, other = box minus the processes listed: PostgreSQL background work and anything else running). " +
      "lag: event-loop lag p99/max (ms) of the customers (c) and agents (a) client processes.",
  );
  const agentFrames = results.map((r) => `${r.rate}/s: ${f0(r.agentFramesPerSecond)} frames/s (${f0(r.agentMessageFramesPerSecond)} message partials)`);
  console.log(`frames received by the ${N} agent sockets on the inbox page: ${agentFrames.join("; ")}`);
  const perMessage = results.map(
    (r) => `${r.rate}/s: inbox page ${r.inboxPage.frames.toFixed(3)} frames, ${f0(r.inboxPage.bytes)} B; tickets page ${r.ticketsPage.frames.toFixed(3)} frames, ${f0(r.ticketsPage.bytes)} B`,
  );
  console.log(`per agent socket per customer message: ${perMessage.join("; ")}`);
  for (const r of results) {
    const tabs = r.inboxTabs.map(
      (t) => `${t.tab} (${t.sockets} sockets) ${t.all.frames.toFixed(4)} frames, ${f0(t.all.bytes)} B, of which list pushes ${t.list.frames.toFixed(4)} frames, ${t.list.bytes.toFixed(1)} B`,
    );
    console.log(`  ${r.rate}/s, by the tab the inbox page's list shows: ${tabs.join("; ")}`);
  }

  if (skipped.length) console.log(`skipped (a lower rate was already overloaded; BENCH_CONTINUE_PAST_OVERLOAD=1 runs them): ${skipped.join(", ")} msgs/s`);
  const ok = results.filter((r) => r.latency.p99 <= P99_TARGET_MS && r.lost === 0 && r.duplicated === 0 && r.ackMissing === 0);
  const best = ok.length ? Math.max(...ok.map((r) => r.rate)) : null;
  const persisted = Math.max(...results.map((r) => r.persistedPerSecond));
  console.log("");
  console.log(`highest rate with p99 <= ${P99_TARGET_MS} ms, 0 lost, 0 duplicated, every message acked: ${best === null ? "none" : `${best} msgs/s`}`);
  console.log(`highest sustained persisted rate: ${f0(persisted)} rows/s (rows created during a step's send window / its length)`);
  const at2k = results.find((r) => r.rate === 2000);
  if (!at2k && skipped.includes(2000)) console.log("target P1 (2,000 msgs/s across two instances: p99 <= 20 ms, 0 lost, 0 dup): MISSED (not run: a lower rate was already overloaded)");
  if (at2k) {
    const pass = at2k.latency.p99 <= P99_TARGET_MS && at2k.lost === 0 && at2k.duplicated === 0;
    console.log(`target P1 (2,000 msgs/s across two instances: p99 <= 20 ms, 0 lost, 0 dup): ${pass ? "met" : "MISSED"} (p99 ${f1(at2k.latency.p99)} ms, lost ${at2k.lost}, dup ${at2k.duplicated})`);
  }
  console.log(`target P2 (>= 4,000 persisted msgs/s): ${persisted >= 4000 ? "met" : "MISSED"} (${f0(persisted)} rows/s)`);
  const at1k = results.find((r) => r.rate === 1000);
  if (at1k) {
    const over = at1k.latency.p50 - at1k.floor.p50;
    console.log(
      `target Q (1,000 msgs/s: median within 1 ms of one committed insert): ${over <= 1 ? "met" : "MISSED"} (median ${f1(at1k.latency.p50)} ms, floor ${f1(at1k.floor.p50)} ms, +${f1(over)} ms; ` +
        `the transport alone, with no statement: ${f1(at1k.transport.p50)} ms)`,
    );
  }
}
