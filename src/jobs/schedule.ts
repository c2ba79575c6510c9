// Scheduling a job: a row written in the caller's transaction, so it commits or rolls back with
// the change that caused it (an agent's reply and its email job, or neither).
import { eq } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { jobs } from "../db/schema/index.ts";

export interface ScheduleOptions {
  /** Not before this time; now when not given (the database's clock). */
  runAt?: Date;
  /** A second schedule with the same key makes no second job (e.g. "reply-email:<conversation>:<seq>"). */
  idempotencyKey?: string;
  /** Tries before it is marked failed (8 when not given: about two hours with the default backoff). */
  maxAttempts?: number;
}

export interface Scheduled {
  id: string;
  /** false: a job with this idempotency key existed already, and `id` is that one's. */
  created: boolean;
}

/** `tx` is the caller's transaction (or the database, for work that stands alone). */
export async function schedule(tx: Db, kind: string, payload: unknown, options: ScheduleOptions = {}): Promise<Scheduled> {
  if (options.maxAttempts !== undefined && !(Number.isInteger(options.maxAttempts) && options.maxAttempts >= 1)) {
    throw new RangeError("maxAttempts must be a whole number of at least 1");
  }
  const [row] = await tx
    .insert(jobs)
    .values({
      kind,
      payload: payload ?? {},
      runAt: options.runAt,
      idempotencyKey: options.idempotencyKey,
      maxAttempts: options.maxAttempts,
    })
    .onConflictDoNothing({ target: jobs.idempotencyKey })
    .returning({ id: jobs.id });
  if (row) return { id: row.id, created: true };
  // Only a key can conflict; the job that holds it is visible now (the insert waited for its commit).
  const [existing] = await tx.select({ id: jobs.id }).from(jobs).where(eq(jobs.idempotencyKey, options.idempotencyKey!));
  return { id: existing!.id, created: false };
}
