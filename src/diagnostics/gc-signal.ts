// For memory benchmarks only: with BENCH_GC_SIGNAL=1, SIGUSR2 makes the process collect its
// garbage fully and print one line that a bench reads (bench/socket-memory.ts). RSS measured from
// outside is otherwise blurred by garbage the collector has not reached yet. Off in production.
import { heapStats } from "bun:jsc";

/** The line's prefix, so that a bench can find it among the log lines. */
export const GC_LINE_PREFIX = "bench-gc ";

export interface GcReport {
  rss: number;
  heapSize: number;
  objectCount: number;
  /** Typed arrays' and WebAssembly memories' backing stores (outside heapSize's objects): bytes. */
  arrayBuffers: number;
  /** The most numerous object types on the heap, for finding what each socket holds. */
  top: Record<string, number>;
}

export function installGcSignal(env: Record<string, string | undefined>): void {
  if (env.BENCH_GC_SIGNAL !== "1") return;
  process.on("SIGUSR2", () => {
    Bun.gc(true);
    Bun.gc(true);
    const stats = heapStats();
    const top = Object.entries(stats.objectTypeCounts)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 40);
    const { rss, arrayBuffers } = process.memoryUsage();
    const report: GcReport = { rss, heapSize: stats.heapSize, objectCount: stats.objectCount, arrayBuffers, top: Object.fromEntries(top) };
    console.log(GC_LINE_PREFIX + JSON.stringify(report));
  });
}
