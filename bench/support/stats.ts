// Figures of a bench: percentiles, timed runs, an event-loop lag meter, number formats and tables.
// Figures only; nothing here asserts.

/** Milliseconds since the epoch, to the microsecond: comparable between the bench's processes. */
export const now = () => performance.timeOrigin + performance.now();

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Dist {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

export function dist(values: number[]): Dist {
  const s = Float64Array.from(values).sort();
  const a = Array.from(s);
  return { n: a.length, p50: percentile(a, 50), p95: percentile(a, 95), p99: percentile(a, 99), p999: percentile(a, 99.9), max: a.at(-1) ?? NaN };
}

/** Calls `fn` `warmups` times untimed, then `runs` times timed: the milliseconds of each timed call. */
export async function timed(runs: number, warmups: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmups; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  return ms;
}

/** Event-loop lag: how late a 5 ms interval fires. */
export class LagMeter {
  private samples: number[] = [];
  private last = performance.now();
  private readonly timer = setInterval(() => {
    const t = performance.now();
    this.samples.push(Math.max(0, t - this.last - 5));
    this.last = t;
  }, 5);
  take(): { p99: number; max: number } {
    const d = dist(this.samples);
    this.samples = [];
    return { p99: d.p99, max: d.max };
  }
  stop() {
    clearInterval(this.timer);
  }
}

export const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "-");
export const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "-");

export function table(head: string[], rows: string[][]) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
  console.log(fmt(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(fmt(r));
}
