// Startup figures of the compiled binary: size, time to /health and /ready, idle RSS, SIGTERM exit.
// Run with `bun run bench/startup.ts`. It prints numbers and asserts nothing: slow machines must
// not fail a build, but a reviewer can compare runs before and after a change.
//
// BENCH_BEFORE=<an older build of dist/supportdesk> runs it too, alternating with this one round by
// round, so both meet the same machine; BENCH_ROUNDS (default 1) repeats everything and the
// summary gives medians; BENCH_MODES=embedded (or postgres) runs one mode only.
//
// Each process starts in a fresh temp cwd with a minimal env, so nothing from this shell (a stray
// DATABASE_URL, a ./data dir, a .env) can change what is measured.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { freePort } from "../src/testing/instance-process.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";

const root = join(import.meta.dir, "..");
const current = join(root, "dist", "supportdesk");
const builds: Array<[string, string]> = process.env.BENCH_BEFORE
  ? [
      ["before", process.env.BENCH_BEFORE],
      ["after", current],
    ]
  : [["current", current]];
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const modes = (process.env.BENCH_MODES ?? "embedded,postgres").split(",");
const LATER_STARTS = 3;
const START_TIMEOUT_MS = 60_000;
const POLL_MS = 20;
/** Long enough for boot-time garbage to be collected, short enough to keep the bench quick. */
const IDLE_BEFORE_RSS_MS = 3000;
const STOP_TIMEOUT_MS = 15_000;

interface Row {
  build: string;
  mode: string;
  start: string;
  healthMs: number;
  readyMs: number;
  rssMiB: number | null;
  stopMs: number;
  exit: string;
}

const tempDirs: string[] = [];
const children = new Set<Bun.Subprocess>();

function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sd-bench-${label}-`));
  tempDirs.push(dir);
  return dir;
}


async function status(url: string): Promise<number | null> {
  try {
    // keepalive off: an idle pooled connection must not be what the server waits on at SIGTERM.
    const res = await fetch(url, { keepalive: false, signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return null; // not listening yet
  }
}

function rssMiB(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null; // not Linux
  }
}

/** Drains a pipe into a string: an unread pipe could fill up and stall the child. */
async function collect(stream: ReadableStream<Uint8Array>, into: { text: string }) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  for (let r = await reader.read(); !r.done; r = await reader.read()) into.text += decoder.decode(r.value, { stream: true });
}

async function measure([build, binary]: [string, string], mode: string, start: string, env: Record<string, string>): Promise<Row> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const output = { text: "" };
  const t0 = performance.now();
  const proc = Bun.spawn([binary], {
    cwd: tempDir("cwd"),
    // HOST pinned to loopback: a bench has no business listening on every interface.
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  children.add(proc);
  const drained = Promise.all([collect(proc.stdout, output), collect(proc.stderr, output)]);

  let healthMs: number | null = null;
  let readyMs: number | null = null;
  while (readyMs === null) {
    const now = performance.now() - t0;
    if (proc.exitCode !== null || proc.signalCode !== null) {
      await drained; // the child's last words say why it died
      throw new Error(`${mode}/${start}: exited early (${proc.exitCode ?? proc.signalCode}):\n${output.text}`);
    }
    if (now > START_TIMEOUT_MS) throw new Error(`${mode}/${start}: not ready after ${START_TIMEOUT_MS} ms:\n${output.text}`);
    if (healthMs === null && (await status(`${base}/health`)) === 200) healthMs = performance.now() - t0;
    if (healthMs !== null && (await status(`${base}/ready`)) === 200) readyMs = performance.now() - t0;
    else await Bun.sleep(POLL_MS);
  }

  await Bun.sleep(IDLE_BEFORE_RSS_MS);
  const rss = rssMiB(proc.pid);

  const s0 = performance.now();
  proc.kill("SIGTERM");
  const stopped = await Promise.race([proc.exited.then(() => true), Bun.sleep(STOP_TIMEOUT_MS).then(() => false)]);
  const stopMs = performance.now() - s0;
  if (!stopped) proc.kill("SIGKILL");
  await proc.exited;
  children.delete(proc);
  const exit = stopped ? String(proc.exitCode ?? proc.signalCode) : "hung (SIGKILL)";
  if (exit !== "0") console.error(`${mode}/${start}: exit ${exit}\n${output.text}`);
  console.error(`  ${build} ${mode} ${start}: ready in ${readyMs.toFixed(0)} ms, ${rss?.toFixed(0)} MiB`);
  return { build, mode, start, healthMs: healthMs ?? readyMs, readyMs, rssMiB: rss, stopMs, exit };
}

async function embeddedRuns(build: [string, string]): Promise<Row[]> {
  const env = { DATA_DIR: tempDir("data") };
  const rows = [await measure(build, "embedded", "first", env)];
  for (let i = 1; i <= LATER_STARTS; i++) rows.push(await measure(build, "embedded", `later ${i}`, env));
  return rows;
}

async function postgresRuns(build: [string, string]): Promise<Row[]> {
  const adminUrl = new URL(process.env.BENCH_DATABASE_URL ?? "postgres://127.0.0.1:5432/postgres");
  // The children get no USER/PGUSER from this shell (and this shell may have none either), so the
  // role is spelled out in the URL rather than left to each driver's guess.
  if (!adminUrl.username) adminUrl.username = process.env.PGUSER ?? "postgres";
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  const name = `sd_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  try {
    await admin.unsafe(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const env = {
      DATABASE_URL: url.toString(),
      REDIS_URL: process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379",
      SESSION_SECRET: crypto.randomUUID() + crypto.randomUUID(),
    };
    const rows = [await measure(build, "postgres", "first", env)];
    for (let i = 1; i <= LATER_STARTS; i++) rows.push(await measure(build, "postgres", `later ${i}`, env));
    return rows;
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`).catch((err: Error) => console.error(`drop ${name}: ${err.message}`));
    await admin.end();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function printTable(rows: Row[]) {
  const ms = (n: number) => n.toFixed(0);
  const mib = (n: number | null) => n?.toFixed(1) ?? "n/a";
  const lines = rows.map((r) => [r.build, r.mode, r.start, ms(r.healthMs), ms(r.readyMs), mib(r.rssMiB), ms(r.stopMs), r.exit]);
  const keys = new Set(rows.map((r) => `${r.build}\t${r.mode}`));
  for (const kind of ["first", "later"]) {
    for (const key of keys) {
      const [build, mode] = key.split("\t") as [string, string];
      const picked = rows.filter((r) => r.build === build && r.mode === mode && r.start.startsWith(kind));
      const col = (f: (r: Row) => number) => median(picked.map(f));
      const rss = picked.every((r) => r.rssMiB !== null) ? col((r) => r.rssMiB!) : null;
      lines.push([build, mode, `${kind} median (${picked.length})`, ms(col((r) => r.healthMs)), ms(col((r) => r.readyMs)), mib(rss), ms(col((r) => r.stopMs)), ""]);
    }
  }
  const head = ["build", "mode", "start", "/health ms", "/ready ms", "RSS MiB", "SIGTERM ms", "exit"];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(fmt(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) console.log(fmt(l));
}

function cleanup() {
  for (const proc of children) proc.kill("SIGKILL");
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}
process.on("SIGINT", () => {
  cleanup();
  process.exit(130);
});

try {
  if (!(await Bun.file(current).exists())) {
    console.error("dist/supportdesk missing: building it");
    const build = Bun.spawnSync([process.execPath, "run", "build"], { cwd: root, stdout: "inherit", stderr: "inherit" });
    if (build.exitCode !== 0) throw new Error("bun run build failed");
  }
  const rows: Row[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const build of builds) {
      if (modes.includes("embedded")) rows.push(...(await embeddedRuns(build)));
      if (modes.includes("postgres")) rows.push(...(await postgresRuns(build)));
    }
  }
  const sizes = builds.map(([name, path]) => `${name} ${(Bun.file(path).size / 1024 / 1024).toFixed(1)} MiB`).join(", ");
  console.log(`\nbinary size: ${sizes}; RSS read ${IDLE_BEFORE_RSS_MS / 1000} s after /ready; ${rounds} round(s)\n`);
  printTable(rows);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  cleanup();
}
