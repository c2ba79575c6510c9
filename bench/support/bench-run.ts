// What a bench with instances and client processes (bench/inbox.ts, bench/delivery.ts) starts,
// and takes down again at its end, also on Ctrl-C: the instances and workers, the Redis keys that
// pre-grant the customers' message budgets, the database it made, and its data directory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Redis from "ioredis";
import postgres from "postgres";
import { run, spawnWorker, type Worker } from "./workers.ts";

export class BenchRun {
  readonly children: Bun.Subprocess[] = [];
  readonly workers: Worker[] = [];
  readonly dataDir: string;
  /** The PostgreSQL server's own database: where the bench's database is made and dropped. */
  readonly admin: postgres.Sql;
  readonly redis: Redis;
  /** The bench's database: BENCH_DATABASE_URL's (kept), or a fresh sd_bench_<random> (made by createDatabase, dropped at the end). */
  readonly databaseUrl: string;
  /** A connection to it, set by the bench; closed at the end. */
  sql: postgres.Sql | null = null;
  private readonly dbName = `sd_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  private readonly grantedKeys: string[] = [];

  constructor(
    name: string,
    private readonly options: { pgUrl: string; redisUrl: string; existingDatabaseUrl: string | null; keepDatabase?: boolean },
  ) {
    this.dataDir = mkdtempSync(join(tmpdir(), `sd-bench-${name}-`));
    this.admin = postgres(options.pgUrl, { max: 1, onnotice: () => {} });
    this.redis = new Redis(options.redisUrl);
    const fresh = new URL(options.pgUrl);
    fresh.pathname = `/${this.dbName}`;
    this.databaseUrl = options.existingDatabaseUrl ?? fresh.toString();
    process.on("SIGINT", () => void this.end().then(() => process.exit(130)));
  }

  get existing(): boolean {
    return this.options.existingDatabaseUrl !== null;
  }

  async createDatabase(): Promise<void> {
    await this.admin.unsafe(`create database "${this.dbName}"`);
  }

  /** This script again as a worker process with `role`, ended with the run. */
  spawnWorker(script: string, role: string): Worker {
    const worker = spawnWorker(script, role);
    this.workers.push(worker);
    this.children.push(worker.proc);
    return worker;
  }

  /**
   * Pre-grants each customer's and address's message budget (a large negative count under the
   * limiter's key), so that the widget's limits do not refuse a benchmark; the limiter still runs
   * per message, as in production. The keys are deleted at the end.
   */
  async grantMessageBudgets(customers: { contactId: string; ip: string }[]): Promise<void> {
    const grant = this.redis.pipeline();
    for (const c of customers) {
      for (const key of [`supportdesk:rl:message:contact:${c.contactId}`, `supportdesk:rl:message:ip:${c.ip}`]) {
        grant.set(key, -1_000_000_000, "EX", 3600);
        this.grantedKeys.push(key);
      }
    }
    await grant.exec();
  }

  async end(): Promise<void> {
    run.closing = true;
    for (const w of this.workers) await w.call("close").catch(() => {});
    for (const p of this.children) if (p.exitCode === null && p.signalCode === null) p.kill("SIGTERM");
    await Promise.race([Promise.all(this.children.map((p) => p.exited)), Bun.sleep(6000)]);
    for (const p of this.children) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
    for (let i = 0; i < this.grantedKeys.length; i += 500) await this.redis.del(...this.grantedKeys.slice(i, i + 500)).catch(() => {});
    this.redis.disconnect();
    await this.sql?.end({ timeout: 2 });
    if (this.options.keepDatabase) console.log(`kept the database: ${this.databaseUrl}`);
    else if (!this.existing) {
      await this.admin.unsafe(`drop database if exists "${this.dbName}" with (force)`).catch((e: Error) => console.error(`drop ${this.dbName}: ${e.message}`));
    }
    await this.admin.end({ timeout: 2 });
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
