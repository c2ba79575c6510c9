// Asks an instance started with BENCH_GC_SIGNAL=1 to collect its garbage fully, and reads the
// line it prints (src/diagnostics/gc-signal.ts): RSS and the JS heap, after the collection.
import { GC_LINE_PREFIX, type GcReport } from "../../src/diagnostics/gc-signal.ts";
import type { Instance } from "../../src/testing/instance-process.ts";
import { waitUntil } from "../support/workers.ts";

export async function forcedGc(instance: Instance): Promise<GcReport> {
  const seen = instance.output.join("").split(GC_LINE_PREFIX).length;
  instance.proc.kill("SIGUSR2");
  await waitUntil("gc report", () => instance.output.join("").split(GC_LINE_PREFIX).length > seen, 60_000);
  const text = instance.output.join("");
  const line = text.slice(text.lastIndexOf(GC_LINE_PREFIX) + GC_LINE_PREFIX.length).split("\n")[0]!;
  return JSON.parse(line) as GcReport;
}

/** Collects twice, a second apart (the allocator gives pages back lazily), and keeps the second. */
export async function settledGc(instance: Instance): Promise<GcReport> {
  await forcedGc(instance);
  await Bun.sleep(1000);
  return forcedGc(instance);
}

/** Object types whose count grew most between two reports, per socket. */
export function growthPerSocket(before: GcReport, after: GcReport, sockets: number, limit = 15): string[] {
  return Object.entries(after.top)
    .map(([type, n]) => [type, (n - (before.top[type] ?? 0)) / sockets] as const)
    .filter(([, perSocket]) => perSocket >= 0.5)
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([type, perSocket]) => `${type} ${perSocket.toFixed(1)}`);
}
