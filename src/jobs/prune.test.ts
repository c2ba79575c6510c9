// Finished jobs do not pile up: done ones are kept a week and failed ones a month for admins to
// see, then a worker deletes them; pending and running ones are never touched.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { jobs } from "../db/schema/index.ts";
import { storageMode } from "../testing/test-database.ts";
import { jobsTestSetup, recordingHandlers, type JobsTestSetup } from "./jobs-fixture.ts";
import { JobFailure } from "./retry.ts";
import { KEEP_DONE_MS, KEEP_FAILED_MS } from "./worker.ts";

describe(`finished jobs are pruned (${storageMode})`, () => {
  let s: JobsTestSetup;
  beforeAll(async () => {
    s = await jobsTestSetup();
  });
  afterAll(() => s.close());

  const exists = async (id: string) => (await s.db.select({ id: jobs.id }).from(jobs).where(eq(jobs.id, id))).length === 1;

  test("a done job goes after a week, a failed one after a month, a pending one stays", async () => {
    const { handlers } = recordingHandlers("prune.test", async (job) => {
      if ((job.payload as { fail?: boolean }).fail) throw new JobFailure("refused for good");
    });
    // Passes are run by hand (the worker is not started): the clock can jump days with no timer to run.
    const worker = s.worker(handlers, "w-prune");
    const done = await s.scheduleNow("prune.test", {});
    const failed = await s.scheduleNow("prune.test", { fail: true }, { maxAttempts: 1 });
    await worker.pass();
    expect((await s.job(done)).status).toBe("done");
    expect((await s.job(failed)).status).toBe("failed");
    const pending = await s.scheduleNow("prune.test", {}, { runAt: new Date(s.clock.now() + 2 * KEEP_FAILED_MS) });

    await s.clock.advance(KEEP_DONE_MS + 60 * 60_000);
    await worker.pass();
    expect(await exists(done)).toBe(false);
    expect(await exists(failed)).toBe(true);

    await s.clock.advance(KEEP_FAILED_MS - KEEP_DONE_MS);
    await worker.pass();
    expect(await exists(failed)).toBe(false);
    expect((await s.job(pending)).status).toBe("pending");
  });
});
