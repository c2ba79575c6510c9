// The jobs tests' setup: a fresh database, a manual clock, workers on it, and a way to read a job.
import { eq } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { jobs, type Job } from "../db/schema/index.ts";
import { createLogger } from "../log/logger.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { freshDatabase, type TestDatabase } from "../testing/test-database.ts";
import { JobHandlers, type RunningJob } from "./handlers.ts";
import { schedule, type ScheduleOptions } from "./schedule.ts";
import { JobWorker, type WorkerOptions } from "./worker.ts";

/** Short times so a test's clock moves little; the logic is the same as the defaults'. */
export const TEST_WORKER: Partial<WorkerOptions> = { pollMs: 100, batch: 5, leaseMs: 10_000, backoff: { baseMs: 1000, capMs: 4000 } };

export interface JobsTestSetup {
  database: TestDatabase;
  db: Db;
  /** The workers' clock. Tests schedule with `runAt` on it: the database's now() moves on its own. */
  clock: ManualClock;
  /** Schedules a job due now on the test's clock. */
  scheduleNow(kind: string, payload?: unknown, options?: ScheduleOptions): Promise<string>;
  logs: string[];
  /** A worker with its own handlers; stopped by close(). */
  worker(handlers: JobHandlers, instance: string, db?: Db, options?: Partial<WorkerOptions>): JobWorker;
  job(id: string): Promise<Job>;
  close(): Promise<void>;
}

export async function jobsTestSetup(): Promise<JobsTestSetup> {
  const database = await freshDatabase();
  const logs: string[] = [];
  const log = createLogger({ level: "debug", format: "json" }, (line) => logs.push(line));
  const clock = new ManualClock(Date.now());
  const workers: JobWorker[] = [];
  return {
    database,
    db: database.db,
    clock,
    logs,
    async scheduleNow(kind, payload = {}, options = {}) {
      return (await schedule(database.db, kind, payload, { runAt: new Date(clock.now()), ...options })).id;
    },
    worker(handlers, instance, db = database.db, options = {}) {
      const worker = new JobWorker({ db, log, handlers, clock, instance }, { ...TEST_WORKER, ...options });
      workers.push(worker);
      return worker;
    },
    async job(id) {
      const [row] = await database.db.select().from(jobs).where(eq(jobs.id, id));
      if (!row) throw new Error(`no job ${id}`);
      return row;
    },
    async close() {
      for (const worker of workers) worker.stop();
      await database.close();
    },
  };
}

/** Handlers for one kind that record every try they were given, as `${id}#${attempt}`. */
export function recordingHandlers(kind: string, run: (job: RunningJob) => Promise<void> = async () => {}) {
  const tries: string[] = [];
  const handlers = new JobHandlers().register(kind, async (job) => {
    tries.push(`${job.id}#${job.attempt}`);
    await run(job);
  });
  return { handlers, tries };
}
