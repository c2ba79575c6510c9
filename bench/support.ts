// What the benchmark scripts share: percentiles, an event-loop lag meter, and the IPC between an
// orchestrator and its worker processes. Figures only; nothing here asserts.

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

export type Msg = Record<string, any>;

/** Child side of the IPC: answers the orchestrator's commands, one at a time. */
export function serve(handlers: Record<string, (msg: Msg) => Promise<Msg> | Msg>) {
  let chain = Promise.resolve();
  process.on("message", (msg: Msg) => {
    chain = chain.then(async () => {
      try {
        process.send!({ id: msg.id, ok: true, ...(await handlers[msg.cmd]!(msg)) });
      } catch (err) {
        process.send!({ id: msg.id, ok: false, error: err instanceof Error ? err.stack : String(err) });
      }
    });
  });
  process.on("disconnect", () => process.exit(0));
}

export function waitUntil(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + timeoutMs;
    const tick = () => {
      if (done()) return resolve();
      if (performance.now() > deadline) return reject(new Error(`timed out: ${what}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}
