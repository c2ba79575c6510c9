// What the admin page reads. Each list is one status, read along that status's index; the
// payload is never read (it may hold a customer's address or words).
import { asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { jobs } from "../db/schema/index.ts";

export type JobStatus = (typeof jobs.$inferSelect)["status"];

export interface JobRow {
  id: string;
  kind: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  lastError: string | null;
}

const columns = {
  id: jobs.id,
  kind: jobs.kind,
  status: jobs.status,
  attempts: jobs.attempts,
  maxAttempts: jobs.maxAttempts,
  runAt: jobs.runAt,
  updatedAt: jobs.updatedAt,
  finishedAt: jobs.finishedAt,
  lastError: jobs.lastError,
};

export async function countsByStatus(db: Db): Promise<Record<JobStatus, number>> {
  const rows = await db
    .select({ status: jobs.status, count: sql<number>`count(*)::int` })
    .from(jobs)
    .groupBy(jobs.status);
  const counts: Record<JobStatus, number> = { pending: 0, running: 0, done: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

/** Pending: the next due first. The others: the latest change first. */
export function jobsWithStatus(db: Db, status: JobStatus, limit: number): Promise<JobRow[]> {
  const order = status === "pending" ? asc(jobs.runAt) : desc(jobs.updatedAt);
  return db.select(columns).from(jobs).where(eq(jobs.status, status)).orderBy(order, desc(jobs.id)).limit(limit);
}
