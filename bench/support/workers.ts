// The worker processes of a bench (its clients, so that neither the orchestrator nor the other
// side slows them down): their IPC, and the sockets they hold.

/** The site the widget is embedded on in the benches: any origin, since their inboxes allow every one. */
export const SHOP_ORIGIN = "https://shop.example";

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

/**
 * Opens `count` sockets to `url`, 50 upgrades at a time (a burst of thousands is not what a bench
 * measures); socket i gets `headersOf(i)` and hands its frames to `onFrame(i, data)`.
 */
export async function openSockets(url: string, count: number, headersOf: (i: number) => Record<string, string>, onFrame: (i: number, data: string) => void): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, (_, j) => openSocket(url, headersOf(i + j), (data) => onFrame(i + j, data)));
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

export interface Worker {
  proc: Bun.Subprocess;
  call(cmd: string, args?: Msg): Promise<Msg>;
}

/**
 * Starts `script` again as a worker process with this role, and calls it over IPC.
 * BENCH_WORKER_PRELOAD=<file> preloads a module into each worker (a profiler, say).
 */
export function spawnWorker(script: string, role: string): Worker {
  const pending = new Map<number, { resolve: (m: Msg) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const proc = Bun.spawn([process.execPath, ...(process.env.BENCH_WORKER_PRELOAD ? ["--preload", process.env.BENCH_WORKER_PRELOAD] : []), script, "--worker", role], {
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
