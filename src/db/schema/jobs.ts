import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, createdAt, id } from "./columns.ts";

export const jobStatus = pgEnum("job_status", ["pending", "running", "done", "failed"]);

/**
 * Work that must happen later or survive a crash (ARCHITECTURE §9): written in the transaction of
 * the change that causes it, claimed by any instance's worker (src/jobs/worker.ts).
 */
export const jobs = pgTable(
  "jobs",
  {
    id: id(),
    /** Which handler runs it, e.g. "email.reply". */
    kind: text("kind").notNull(),
    payload: jsonb("payload").notNull(),
    /** Not before this time: the first run, or the next try after a failure (backoff). */
    runAt: at("run_at").notNull().defaultNow(),
    /** Tries started so far, the one running included. */
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(8),
    status: jobStatus("status").notNull().default("pending"),
    /** The lease: while running, no other worker claims it before this time. */
    lockedUntil: at("locked_until"),
    /** The worker (instance) holding the lease. */
    lockedBy: text("locked_by"),
    /** Why the last try failed: an error's class and code or a handler's own words, never payload text. */
    lastError: text("last_error"),
    /** Scheduling the same key twice makes one job (NULLs are distinct, so most jobs have none). */
    idempotencyKey: text("idempotency_key"),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
    finishedAt: at("finished_at"),
  },
  (t) => [
    uniqueIndex("jobs_idempotency_key").on(t.idempotencyKey),
    // The worker's claim: due pending jobs, and running ones whose lease ran out.
    index("jobs_due_idx").on(t.runAt).where(sql`${t.status} = 'pending'`),
    index("jobs_lease_idx").on(t.lockedUntil).where(sql`${t.status} = 'running'`),
    // The admin page: counts per status and the latest jobs of a status.
    index("jobs_status_updated_idx").on(t.status, t.updatedAt),
  ],
);

export type Job = typeof jobs.$inferSelect;
