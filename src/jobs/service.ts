// The jobs module's verbs for the rest of the app: scheduling (in the caller's transaction) and
// what admins see. The worker itself is wired in app-context.ts.
import type { Db } from "../db/database.ts";
import { countsByStatus, jobsWithStatus, type JobRow, type JobStatus } from "./overview-queries.ts";

export { schedule, type ScheduleOptions, type Scheduled } from "./schedule.ts";
export { JobFailure } from "./retry.ts";
export { JobHandlers, type JobHandler, type RunningJob } from "./handlers.ts";

/** Rows shown per status on the admin page. */
export const JOBS_PER_LIST = 25;

export interface JobsOverview {
  counts: Record<JobStatus, number>;
  failed: JobRow[];
  running: JobRow[];
  pending: JobRow[];
  done: JobRow[];
}

export async function jobsOverview(db: Db): Promise<JobsOverview> {
  // One after the other: PGlite runs one statement at a time anyway, and the page is rare.
  const counts = await countsByStatus(db);
  const failed = await jobsWithStatus(db, "failed", JOBS_PER_LIST);
  const running = await jobsWithStatus(db, "running", JOBS_PER_LIST);
  const pending = await jobsWithStatus(db, "pending", JOBS_PER_LIST);
  const done = await jobsWithStatus(db, "done", JOBS_PER_LIST);
  return { counts, failed, running, pending, done };
}
