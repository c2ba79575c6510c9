// Jobs across workers: a worker that dies mid-job has its job taken over once the lease runs out,
// and workers claiming at once (two connections on PostgreSQL) never run one job twice.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { Database } from "../db/database.ts";
import { postgresDatabase } from "../db/postgres.ts";
import { jobs } from "../db/schema/index.ts";
import { storageMode } from "../testing/test-database.ts";
import { jobsTestSetup, recordingHandlers, TEST_WORKER, type JobsTestSetup } from "./jobs-fixture.ts";

const POLL = TEST_WORKER.pollMs!;
const LEASE = TEST_WORKER.leaseMs!;

/** A handler that holds its try until the test lets go: a worker "dies" while it waits. */
function stuckHandler() {
  let entered!: () => void;
  let release!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const held = new Promise<void>((resolve) => (release = resolve));
  return {
    inside,
    release,
    run: async () => {
      entered();
      await held;
    },
  };
}

describe(`jobs across workers (${storageMode})`, () => {
  let s: JobsTestSetup;
  /** A second connection (pool) to the same database on PostgreSQL; the same database on PGlite (one connection only). */
  let other: Database;

  beforeAll(async () => {
    s = await jobsTestSetup();
    other = s.database.url ? postgresDatabase(s.database.url) : s.database;
  });
  afterAll(async () => {
    if (other !== s.database) await other.close();
    await s.close();
  });

  test("a job whose worker died mid-try is claimed by another once the lease runs out, and that outcome stands", async () => {
    const stuck = stuckHandler();
    const dying = recordingHandlers("lease.test", stuck.run);
    const taking = recordingHandlers("lease.test");
    const a = s.worker(dying.handlers, "w-dies");
    const b = s.worker(taking.handlers, "w-takes-over", other.db);
    const id = await s.scheduleNow("lease.test");

    const aPass = a.pass();
    await stuck.inside;
    a.stop();
    expect(await s.job(id)).toMatchObject({ status: "running", attempts: 1, lockedBy: "w-dies" });

    b.start();
    await s.clock.advance(LEASE - POLL);
    expect(taking.tries).toEqual([]);
    await s.clock.advance(2 * POLL);
    expect(taking.tries).toEqual([`${id}#2`]);
    expect(await s.job(id)).toMatchObject({ status: "done", attempts: 2, lockedBy: null });

    // The first worker comes back to life and finishes: its lease was lost, nothing changes.
    stuck.release();
    await aPass;
    expect(await s.job(id)).toMatchObject({ status: "done", attempts: 2 });
    expect(s.logs.some((line) => line.includes("another worker had claimed it") && line.includes(id))).toBe(true);
    await s.clock.advance(2 * LEASE);
    expect([...dying.tries, ...taking.tries]).toEqual([`${id}#1`, `${id}#2`]);
    b.stop();
  });

  test("a job whose worker died during its last try is marked failed, not run again", async () => {
    const stuck = stuckHandler();
    const dying = recordingHandlers("last-try.test", stuck.run);
    const taking = recordingHandlers("last-try.test");
    const a = s.worker(dying.handlers, "w-dies-last");
    const b = s.worker(taking.handlers, "w-sees-it", other.db);
    const id = await s.scheduleNow("last-try.test", {}, { maxAttempts: 1 });

    const aPass = a.pass();
    await stuck.inside;
    a.stop();
    b.start();
    await s.clock.advance(LEASE + POLL);
    const row = await s.job(id);
    expect(row).toMatchObject({ status: "failed", attempts: 1, lastError: "its worker stopped during the last try (the lease ran out)" });
    expect(taking.tries).toEqual([]);
    stuck.release();
    await aPass;
    expect((await s.job(id)).status).toBe("failed");
    b.stop();
  });

  test("a handler that outlives its lease is given up on: the worker goes on, the job waits for its next try", async () => {
    const stuck = stuckHandler();
    const { handlers } = recordingHandlers("overdue.test", stuck.run);
    // A lease of 50 ms of real time: the one wait in this file, and the thing under test.
    const worker = s.worker(handlers, "w-overdue", s.db, { leaseMs: 50 });
    const id = await s.scheduleNow("overdue.test");
    expect(await worker.pass()).toBe(1);
    expect(await s.job(id)).toMatchObject({ status: "pending", attempts: 1, lastError: "it ran longer than its lease", lockedBy: null });
    stuck.release();
  });

  test("four workers on two connections claiming at once run each of 60 jobs exactly once", async () => {
    const ran: string[] = [];
    const make = (name: string, db = s.db) => {
      const { handlers } = recordingHandlers("race.test", async (job) => {
        ran.push(job.id);
        // Hold the try a moment, so the other workers claim while this one's rows are locked.
        await Bun.sleep(2);
      });
      return s.worker(handlers, name, db);
    };
    const workers = [make("w-1"), make("w-2"), make("w-3", other.db), make("w-4", other.db)];
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push(await s.scheduleNow("race.test", { i }));

    for (let round = 0; round < 60 && ran.length < ids.length; round++) {
      await Promise.all(workers.map((w) => w.pass()));
    }
    // Every job once, none twice, each done on its first try.
    expect(ran.toSorted()).toEqual(ids.toSorted());
    const rows = await s.db.select({ status: jobs.status, attempts: jobs.attempts }).from(jobs).where(eq(jobs.kind, "race.test"));
    expect(rows).toHaveLength(60);
    expect(rows.every((row) => row.status === "done" && row.attempts === 1)).toBe(true);
  });
});
