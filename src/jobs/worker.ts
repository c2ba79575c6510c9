// One worker per instance claims due jobs from the jobs table and runs them (ARCHITECTURE §9).
//
// Why no queue library: pg-boss and graphile-worker want a node-postgres pool of their own (and
// graphile-worker LISTEN/NOTIFY); neither runs on PGlite, our embedded database, through our
// drizzle connection (graphile/worker#441 asks for postgres.js support; pg-boss on PGlite needs a
// hand-made client, timgit/pg-boss#563). A table, SKIP LOCKED and a lease are all this needs.
import { hostname } from "node:os";
import type { Db } from "../db/database.ts";
import { errorMessage, type Logger } from "../log/logger.ts";
import { realClock, type Clock, type ClockTimer } from "../realtime/clock.ts";
import type { JobHandlers } from "./handlers.ts";
import { claimDue, failAbandonedLastTries, markDone, markFailedTry, pruneFinished, type Claimed, type Lease } from "./queries.ts";
import { jobSpan, type JobOutcome } from "../tracing/work-spans.ts";
import { backoffMs, DEFAULT_BACKOFF, JobFailure, jobErrorText, type Backoff } from "./retry.ts";

export interface WorkerOptions {
  /** How often the table is asked for due jobs when the last pass found fewer than `batch`. */
  pollMs: number;
  /** Jobs claimed (and run side by side) per pass. */
  batch: number;
  /** How long a claimed job is this worker's; a job still running after it may be claimed by another. */
  leaseMs: number;
  backoff: Backoff;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = { pollMs: 1000, batch: 10, leaseMs: 2 * 60_000, backoff: DEFAULT_BACKOFF };

const DAY_MS = 24 * 60 * 60_000;
/** How long finished jobs stay for admins to see: done ones a week, failed ones a month. */
export const KEEP_DONE_MS = 7 * DAY_MS;
export const KEEP_FAILED_MS = 30 * DAY_MS;
/** How often a worker deletes what is older than that (every instance may; a delete is idempotent). */
const PRUNE_EVERY_MS = 60 * 60_000;

export interface WorkerDeps {
  db: Db;
  log: Logger;
  handlers: JobHandlers;
  clock?: Clock;
  /** Names this worker in locked_by; unique per process (host, pid and a random part) unless given. */
  instance?: string;
}

export class JobWorker {
  readonly instance: string;
  /** The time jobs are due by: whoever schedules a job for later reads "now" here (a test's ManualClock). */
  readonly clock: Clock;
  private readonly options: WorkerOptions;
  private timer: ClockTimer | null = null;
  private running = false;
  private passing: Promise<number> | null = null;
  /** When this worker last pruned finished jobs (its clock); the first pass prunes. */
  private prunedAt = -Infinity;
  /** Hourly deletions of other domains (unsent uploads), run with the prune. */
  private readonly housekeeping: Array<(now: number) => Promise<unknown>> = [];

  /** Runs `task` with each hourly prune, on this worker's clock. */
  addHousekeeping(task: (now: number) => Promise<unknown>): void {
    this.housekeeping.push(task);
  }

  constructor(
    private readonly deps: WorkerDeps,
    options: Partial<WorkerOptions> = {},
  ) {
    this.clock = deps.clock ?? realClock;
    this.options = { ...DEFAULT_WORKER_OPTIONS, ...options };
    this.instance = deps.instance ?? `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.options.pollMs);
  }

  /** Claims nothing more; jobs already running go on (drain() waits for them). */
  stop(): void {
    this.running = false;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Waits up to `ms` (real time) for the pass under way. A job cut off is claimed again once its lease runs out. */
  async drain(ms: number): Promise<void> {
    if (!this.passing) return;
    let timer: Timer | undefined;
    await Promise.race([this.passing, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /** A full batch means more may be due: the next pass comes at once. */
  private schedule(ms: number): void {
    this.timer = this.clock.setTimeout(async () => {
      this.timer = null;
      const ran = await this.pass();
      if (this.running && !this.timer) this.schedule(ran >= this.options.batch ? 0 : this.options.pollMs);
    }, ms);
  }

  /** One pass: claim due jobs and run them; resolves with how many it claimed. Passes never overlap. */
  pass(): Promise<number> {
    this.passing ??= this.claimAndRun()
      .catch((err: unknown) => {
        this.deps.log.warn("job pass failed", { error: errorMessage(err) });
        return 0;
      })
      .finally(() => (this.passing = null));
    return this.passing;
  }

  private async claimAndRun(): Promise<number> {
    // No handler registered, no statement: an instance with nothing to run leaves the table alone.
    const kinds = this.deps.handlers.kinds;
    if (!kinds.length) return 0;
    const now = this.clock.now();
    const abandoned = await failAbandonedLastTries(this.deps.db, kinds, now);
    if (abandoned) this.deps.log.warn("jobs failed: their worker stopped during the last try", { count: abandoned });
    const claimed = await claimDue(this.deps.db, kinds, this.instance, now, this.options.leaseMs, this.options.batch);
    await Promise.all(claimed.map((job) => this.run(job)));
    if (now - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = now;
      const pruned = await pruneFinished(this.deps.db, now - KEEP_DONE_MS, now - KEEP_FAILED_MS);
      if (pruned) this.deps.log.info("finished jobs pruned", { count: pruned });
      for (const task of this.housekeeping) await task(now).catch((err) => this.deps.log.error("housekeeping failed", { error: String(err) }));
    }
    return claimed.length;
  }

  private run(job: Claimed): Promise<JobOutcome> {
    return jobSpan(job.kind, job.attempts, () => this.runTraced(job));
  }

  private async runTraced(job: Claimed): Promise<JobOutcome> {
    const lease: Lease = { id: job.id, instance: this.instance, attempt: job.attempts };
    const handler = this.deps.handlers.get(job.kind)!;
    let timer: Timer | undefined;
    // A handler that outlives its lease is given up on (another worker may take the job by then),
    // so one stuck job never stops this worker's passes. Real time: it is what a lease measures.
    const overdue = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new JobFailure("it ran longer than its lease")), this.options.leaseMs);
      timer.unref?.();
    });
    try {
      await Promise.race([handler({ id: job.id, kind: job.kind, payload: job.payload, attempt: job.attempts }), overdue]);
    } catch (err) {
      return this.failed(job, lease, jobErrorText(err), err instanceof JobFailure && err.permanent);
    } finally {
      clearTimeout(timer);
    }
    if (await markDone(this.deps.db, lease, this.clock.now())) return "done";
    return this.leaseLost(job);
  }

  private async failed(job: Claimed, lease: Lease, error: string, permanent: boolean): Promise<JobOutcome> {
    const now = this.clock.now();
    const last = permanent || job.attempts >= job.maxAttempts;
    const retryAt = last ? null : now + backoffMs(job.attempts, this.options.backoff);
    const fields = { id: job.id, kind: job.kind, attempt: job.attempts, error };
    if (!(await markFailedTry(this.deps.db, lease, now, error, retryAt))) return this.leaseLost(job);
    if (last) this.deps.log.warn("job failed after its last try", fields);
    else this.deps.log.info("job try failed; it will be tried again", { ...fields, retryInMs: retryAt! - now });
    return last ? "failed" : "retry";
  }

  /** It ran longer than its lease and another worker took it over: that one's outcome stands. */
  private leaseLost(job: Claimed): JobOutcome {
    this.deps.log.warn("job finished after its lease ran out; another worker had claimed it", { id: job.id, kind: job.kind, attempt: job.attempts });
    return "lease_lost";
  }
}
