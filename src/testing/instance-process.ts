// Real SupportDesk processes for tests and benchmarks that need more than one instance.
import { createServer } from "node:net";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../..");

/** Asks the kernel for a free port; the tiny race until the child binds it is acceptable here. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export interface Instance {
  name: string;
  proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  origin: string;
  /** Everything it printed, for failure messages. */
  output: string[];
}

/** Drains a pipe so the child never blocks on it; keeps the text. */
async function drain(stream: ReadableStream<Uint8Array>, into: string[]) {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) into.push(decoder.decode(r.value, { stream: true }));
}

/**
 * Starts `bun run src/main.ts` (or `command`) on a free port with `env` on top of quiet defaults,
 * and resolves once its /ready answers 200.
 */
export async function startInstance(options: {
  name: string;
  env: Record<string, string>;
  dataDir: string;
  command?: string[];
  readyTimeoutMs?: number;
}): Promise<Instance> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const proc = Bun.spawn(options.command ?? [process.execPath, "run", join(ROOT, "src/main.ts")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: origin,
      DATA_DIR: options.dataDir,
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
      ...options.env,
    },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const instance: Instance = { name: options.name, proc, origin, output: [] };
  void drain(proc.stdout, instance.output);
  void drain(proc.stderr, instance.output);
  const deadline = performance.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${options.name} exited with ${proc.exitCode}: ${instance.output.join("")}`);
    try {
      if ((await fetch(`${origin}/ready`, { signal: AbortSignal.timeout(1000) })).status === 200) return instance;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`${options.name} not ready: ${instance.output.join("")}`);
    await Bun.sleep(50);
  }
}
