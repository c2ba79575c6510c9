// Memory per idle widget socket, PostgreSQL + Redis mode: one instance, N authenticated widget
// sockets (new visitors, no conversation yet: a page with the widget open) held by worker
// processes; the instance's RSS after a forced full GC (BENCH_GC_SIGNAL=1 and SIGUSR2,
// src/diagnostics/gc-signal.ts) with the first 1,000 sockets open, then with all N. It prints
// the difference per socket (RSS and JS heap), and the object types that grew most per socket.
// It prints figures and asserts nothing.
//
//   bun run bench/socket-memory.ts
//
// Environment (all optional):
//   BENCH_SOCKETS         widget sockets in all (19000); one process holds about 19,900 open files,
//                         so the clients are split over workers of at most 9,500 sockets each
//   BENCH_PG_URL          PostgreSQL server; a fresh database sd_bench_<random> is made there and dropped
//                         (postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_REDIS_URL       (redis://127.0.0.1:6379); other SupportDesk instances on the same Redis share
//                         its bus channel and their traffic reaches this instance: see bench/reconnect-storm.ts
//   BENCH_INSTANCE_ARGS   command for the instance (default: this bun + src/main.ts)
import { join } from "node:path";
import postgres from "postgres";
import { startInstance } from "../src/testing/instance-process.ts";
import { openCustomers } from "./delivery/setup.ts";
import { growthPerSocket, settledGc } from "./sockets/gc-probe.ts";
import { widgetFleetWorker } from "./sockets/widget-fleet.ts";
import { BenchRun } from "./support/bench-run.ts";
import { printMachine } from "./support/machine.ts";

const WARM = 1000;
const PER_WORKER = 9500;
const MB = 2 ** 20;

async function orchestrate() {
  const N = Number(process.env.BENCH_SOCKETS ?? 19_000);
  const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
  const run = new BenchRun("socket-memory", { pgUrl: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres", redisUrl, existingDatabaseUrl: null });
  try {
    printMachine("SupportDesk socket memory: RSS per idle, authenticated widget socket (PostgreSQL + Redis)", `bun ${Bun.version}`);
    await run.createDatabase();
    const sql = (run.sql = postgres(run.databaseUrl, { max: 2, onnotice: () => {} }));
    const command = process.env.BENCH_INSTANCE_ARGS?.split(" ");
    const a = await startInstance({
      name: "A",
      dataDir: join(run.dataDir, "a"),
      readyTimeoutMs: 60_000,
      env: { DATABASE_URL: run.databaseUrl, REDIS_URL: redisUrl, SESSION_SECRET: `bench-${crypto.randomUUID()}-${crypto.randomUUID()}`, TRUST_PROXY: "true", BENCH_GC_SIGNAL: "1" },
      ...(command ? { command } : {}),
    });
    run.children.push(a.proc);
    const [{ public_key: publicKey }] = (await sql`select public_key from inboxes order by created_at limit 1`) as unknown as [{ public_key: string }];
    const t0 = performance.now();
    const customers = await openCustomers(run, a, publicKey, N);
    console.log(`setup: ${N} visitor sessions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const url = `${a.origin.replace("http", "ws")}/ws/widget`;
    const workers = Array.from({ length: Math.ceil(N / PER_WORKER) }, () => run.spawnWorker(import.meta.path, "widgets"));
    // The first 1,000 sockets warm up what every socket shares (compiled code, pools, topics' tables).
    await workers[0]!.call("connect", { url, customers: customers.slice(0, WARM) });
    await Bun.sleep(2000);
    const warm = await settledGc(a);
    const rest = customers.slice(WARM);
    const t1 = performance.now();
    await Promise.all(
      workers.map((w, k) => {
        const from = k === 0 ? 0 : PER_WORKER * k - WARM;
        return w.call("connect", { url, customers: rest.slice(from, PER_WORKER * (k + 1) - WARM) });
      }),
    );
    console.log(`opened and authenticated ${rest.length} more sockets in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    await Bun.sleep(3000);
    const full = await settledGc(a);
    const added = rest.length;
    console.log("");
    console.log(`RSS after a forced GC: ${(warm.rss / MB).toFixed(1)} MB with ${WARM} sockets, ${(full.rss / MB).toFixed(1)} MB with ${N}`);
    console.log(`JS heap after a forced GC: ${(warm.heapSize / MB).toFixed(1)} MB, ${(full.heapSize / MB).toFixed(1)} MB; objects ${warm.objectCount} -> ${full.objectCount}`);
    console.log(`per socket: RSS ${((full.rss - warm.rss) / added / 1024).toFixed(2)} KB, JS heap ${((full.heapSize - warm.heapSize) / added / 1024).toFixed(2)} KB, ${((full.objectCount - warm.objectCount) / added).toFixed(1)} objects (target: RSS at most 4 KB)`);
    console.log(`whole process: ${(full.rss / N / 1024).toFixed(1)} KB of RSS per socket (the process's own base included)`);
    console.log(`objects per socket by type: ${growthPerSocket(warm, full, added).join(", ")}`);
  } finally {
    await run.end();
  }
}

const roleIndex = process.argv.indexOf("--worker");
if (roleIndex >= 0) {
  await widgetFleetWorker();
} else {
  await orchestrate();
  process.exit(0);
}
