// The worker's statements. Times come from the worker's Clock (milliseconds), so that tests move
// them; each finishing statement names the try it finishes (instance and attempt), so a worker
// whose lease ran out and was taken over cannot overwrite what the new holder does.
import { and, asc, eq, gte, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { jobs } from "../db/schema/index.ts";

export interface Claimed {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
}

/** Whose try this is: only it may finish the job. */
export interface Lease {
  id: string;
  instance: string;
  attempt: number;
}

const held = (lease: Lease) =>
  and(eq(jobs.id, lease.id), eq(jobs.status, "running"), eq(jobs.lockedBy, lease.instance), eq(jobs.attempts, lease.attempt));

/**
 * Takes up to `limit` due jobs of these kinds: pending ones whose time has come, and running
 * ones whose lease ran out (their worker died) with tries left. SKIP LOCKED: two workers
 * claiming at once get different jobs, neither waits for the other.
 */
export async function claimDue(db: Db, kinds: string[], instance: string, now: number, leaseMs: number, limit: number): Promise<Claimed[]> {
  if (!kinds.length) return [];
  const at = new Date(now);
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        inArray(jobs.kind, kinds),
        or(
          and(eq(jobs.status, "pending"), lte(jobs.runAt, at)),
          and(eq(jobs.status, "running"), lt(jobs.lockedUntil, at), lt(jobs.attempts, jobs.maxAttempts)),
        ),
      ),
    )
    .orderBy(asc(jobs.runAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(jobs)
    .set({ status: "running", attempts: sql`${jobs.attempts} + 1`, lockedUntil: new Date(now + leaseMs), lockedBy: instance, updatedAt: at })
    .where(inArray(jobs.id, due))
    .returning({ id: jobs.id, kind: jobs.kind, payload: jobs.payload, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts });
}

/** A job (of these kinds) whose worker died during its last try has no try left: it fails instead of being claimed. */
export async function failAbandonedLastTries(db: Db, kinds: string[], now: number): Promise<number> {
  if (!kinds.length) return 0;
  const at = new Date(now);
  const rows = await db
    .update(jobs)
    .set({ status: "failed", finishedAt: at, updatedAt: at, lockedUntil: null, lockedBy: null, lastError: "its worker stopped during the last try (the lease ran out)" })
    .where(and(inArray(jobs.kind, kinds), eq(jobs.status, "running"), lt(jobs.lockedUntil, at), gte(jobs.attempts, jobs.maxAttempts)))
    .returning({ id: jobs.id });
  return rows.length;
}

/** false: the lease was lost (it ran out and another worker took the job). */
export async function markDone(db: Db, lease: Lease, now: number): Promise<boolean> {
  const at = new Date(now);
  const rows = await db
    .update(jobs)
    .set({ status: "done", finishedAt: at, updatedAt: at, lockedUntil: null, lockedBy: null })
    .where(held(lease))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Back to pending at `retryAt`, or failed for good when `retryAt` is null. */
export async function markFailedTry(db: Db, lease: Lease, now: number, error: string, retryAt: number | null): Promise<boolean> {
  const at = new Date(now);
  const next =
    retryAt === null
      ? { status: "failed" as const, finishedAt: at }
      : { status: "pending" as const, runAt: new Date(retryAt) };
  const rows = await db
    .update(jobs)
    .set({ ...next, updatedAt: at, lockedUntil: null, lockedBy: null, lastError: error })
    .where(held(lease))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Rows per prune statement: a long backlog goes over several passes, each statement short. */
const PRUNE_BATCH = 1000;

/**
 * Deletes done jobs finished before `doneBefore` and failed ones finished before `failedBefore`
 * (any kind: a job that finished needs no handler). Returns how many went.
 */
export async function pruneFinished(db: Db, doneBefore: number, failedBefore: number): Promise<number> {
  const old = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      or(
        // updated_at is set with finished_at when a job finishes, and (status, updated_at) is indexed.
        and(eq(jobs.status, "done"), lt(jobs.updatedAt, new Date(doneBefore))),
        and(eq(jobs.status, "failed"), lt(jobs.updatedAt, new Date(failedBefore))),
      ),
    )
    .limit(PRUNE_BATCH);
  return (await db.delete(jobs).where(inArray(jobs.id, old)).returning({ id: jobs.id })).length;
}
