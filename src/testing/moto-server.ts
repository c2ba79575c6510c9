// A real S3-compatible server for tests: moto (Python), started on a free port. scripts/test-all.sh
// makes sure it is installed and sets MOTO_SERVER_CMD when it is not `moto_server` on PATH (e.g.
// "python3 -m moto.server").
import { eventually } from "./eventually.ts";
import { freePort } from "./instance-process.ts";

export interface MotoServer {
  endpoint: string;
  /** Everything it printed, for failure messages. */
  output: string[];
  stop(): Promise<void>;
}

/** The command that starts moto, or null when this machine has none. */
export function motoCommand(): string[] | null {
  const configured = process.env.MOTO_SERVER_CMD?.trim();
  if (configured) return configured.split(/\s+/);
  return Bun.which("moto_server") ? ["moto_server"] : null;
}

/** Starts moto and resolves once it answers HTTP. */
export async function startMoto(command: string[]): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const proc = Bun.spawn([...command, "-H", "127.0.0.1", "-p", String(port)], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  void drain(proc.stdout, output);
  void drain(proc.stderr, output);
  const stop = async () => {
    proc.kill();
    await proc.exited;
  };
  try {
    await eventually(async () => {
      if (proc.exitCode !== null) throw new Error(`moto exited with ${proc.exitCode}:\n${output.join("")}`);
      return fetch(endpoint).then(() => true, () => false);
    }, `moto answering on ${endpoint}`, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, output, stop };
}

/** Creates a bucket (moto accepts unsigned requests). */
export async function createBucket(endpoint: string, bucket: string): Promise<void> {
  const response = await fetch(`${endpoint}/${bucket}`, { method: "PUT" });
  if (!response.ok) throw new Error(`creating bucket ${bucket}: ${response.status} ${await response.text()}`);
}

/** The keys of the bucket's multipart uploads that were started and neither completed nor aborted. */
export async function unfinishedUploads(endpoint: string, bucket: string): Promise<string[]> {
  const response = await fetch(`${endpoint}/${bucket}?uploads`);
  if (!response.ok) throw new Error(`listing uploads: ${response.status} ${await response.text()}`);
  return [...(await response.text()).matchAll(/<Upload>.*?<Key>([^<]*)<\/Key>/gs)].map((m) => m[1]!);
}

async function drain(stream: ReadableStream<Uint8Array>, into: string[]) {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) into.push(decoder.decode(r.value, { stream: true }));
}
