// Memory while files upload (issue 16 item 3): 20 customers upload 10 MB each at the same time to
// one instance, per storage backend, and the server's RSS is sampled throughout. Uploads stream
// into the store, so the peak should stay far below the 200 MB that buffering them would take.
// Run with `bun run bench/uploads.ts`; BENCH_MODES=disk,database,s3 picks backends (s3 needs
// moto_server, as the tests do). Prints figures; asserts nothing.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { pdfOfSize } from "../src/files/file-fixtures.ts";
import { startInstance, type Instance } from "../src/testing/instance-process.ts";
import { createBucket, motoCommand, startMoto } from "../src/testing/moto-server.ts";

const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 20);
const SIZE = Number(process.env.BENCH_FILE_MIB ?? 10) * 1024 * 1024;
const modes = (process.env.BENCH_MODES ?? "disk,database,s3").split(",");
const PDF = pdfOfSize(SIZE);

const rssMiB = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)![1]) / 1024;

async function run(mode: string, env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), "sd-bench-uploads-"));
  let instance: Instance | undefined;
  try {
    instance = await startInstance({
      name: mode,
      dataDir,
      env: { ...env, ATTACHMENT_MAX_BYTES: String(SIZE), MESSAGES_PER_IP_PER_MINUTE: "10000", SESSIONS_PER_IP_PER_MINUTE: "10000", LOG_LEVEL: "error" },
      readyTimeoutMs: 60_000,
    });
    const origin = instance.origin;
    const key = (await (await fetch(`${origin}/demo`)).text()).match(/data-inbox="([^"]+)"/)![1]!;
    const tokens = await Promise.all(
      Array.from({ length: UPLOADS }, async () => (await (await fetch(`${origin}/api/v1/widget/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ inbox: key }) })).json()).token as string),
    );
    // Warm up (first upload's code paths, the store's folder or bucket), then let it settle.
    await fetch(`${origin}/api/v1/widget/files?name=warm.pdf`, { method: "POST", headers: { authorization: `Bearer ${tokens[0]}` }, body: PDF.subarray(0, 100_000) });
    Bun.gc(true);
    await Bun.sleep(1000);
    const pid = instance.proc.pid;
    const before = rssMiB(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 20);
    const started = performance.now();
    const statuses = await Promise.all(
      tokens.map(async (token, i) => (await fetch(`${origin}/api/v1/widget/files?name=file-${i}.pdf`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: PDF })).status),
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const stored = statuses.filter((s) => s === 201).length;
    console.log(
      `${mode.padEnd(9)} ${stored}/${UPLOADS} stored in ${seconds.toFixed(1)} s (${((UPLOADS * SIZE) / 1e6 / seconds).toFixed(0)} MB/s)  RSS before ${before.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB, growth ${(peak - before).toFixed(0)} MiB (all ${UPLOADS} files: ${((UPLOADS * SIZE) / 1048576).toFixed(0)} MiB)`,
    );
  } finally {
    instance?.proc.kill();
    await instance?.proc.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function withDatabase(fn: (env: Record<string, string>) => Promise<void>, extra: Record<string, string> = {}) {
  const adminUrl = new URL(process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  const name = `sd_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await admin.unsafe(`create database ${name}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    await fn({ DATABASE_URL: url.toString(), ...extra });
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

console.log(`${UPLOADS} uploads of ${SIZE / 1048576} MiB at once, one instance, per store:`);
for (const mode of modes) {
  if (mode === "disk") await run("disk", {});
  if (mode === "database") await withDatabase((env) => run("database", env));
  if (mode === "s3") {
    const command = motoCommand();
    if (!command) {
      console.log("s3        skipped: moto_server is not installed");
      continue;
    }
    const moto = await startMoto(command);
    try {
      await createBucket(moto.endpoint, "bench-files");
      const s3 = { S3_BUCKET: "bench-files", S3_ENDPOINT: moto.endpoint, S3_ACCESS_KEY_ID: "bench", S3_SECRET_ACCESS_KEY: "bench" };
      await withDatabase((env) => run("s3", env), s3);
    } finally {
      await moto.stop();
    }
  }
}
