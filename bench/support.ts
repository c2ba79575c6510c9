import { readdirSync, readFileSync } from "node:fs";

// What the benchmark scripts share: percentiles, an event-loop lag meter, the worker processes and
// their IPC, sockets, CPU accounting and table printing. Figures only; nothing here asserts.

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

/** Set while a run ends, so that sockets closing then are not reported as failures. */
export const run = { closing: false };

export function openSocket(url: string, headers: Record<string, string>, onMessage: (data: string) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers } as unknown as string[]);
    ws.onmessage = (e) => onMessage(e.data as string);
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`socket ${url} failed`));
    ws.onclose = (e) => {
      if (!run.closing) console.error(`bench: a socket to ${url} closed (${e.code} ${e.reason})`);
    };
  });
}

export interface Worker {
  proc: Bun.Subprocess;
  call(cmd: string, args?: Msg): Promise<Msg>;
}

/** Starts `script` again as a worker process with this role, and calls it over IPC. */
export function spawnWorker(script: string, role: string): Worker {
  const pending = new Map<number, { resolve: (m: Msg) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const proc = Bun.spawn([process.execPath, "run", script, "--worker", role], {
    stdout: "inherit",
    stderr: "inherit",
    ipc(msg: Msg) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (!p) return;
      if (msg.ok) p.resolve(msg);
      else p.reject(new Error(`${role} worker: ${msg.error}`));
    },
  });
  return {
    proc,
    call(cmd, args = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        proc.send({ id, cmd, ...args });
      });
    },
  };
}

/** CPU seconds (user + system) a process has used so far; 0 if it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** All processes named like `name`. */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim().startsWith(name)) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

/** Busy and total jiffies of the whole machine. */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).slice(1).map(Number);
  const idle = line[3]! + line[4]!;
  const total = line.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
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
