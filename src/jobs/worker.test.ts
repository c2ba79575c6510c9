// Durable jobs (issue 14 item 1): scheduled with the change that causes them, run once when due,
// retried with backoff until their tries run out, never run again once done.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, eq, sql } from "drizzle-orm";
import { jobs } from "../db/schema/index.ts";
import { isUniqueViolation } from "../db/rows.ts";
import { storageMode } from "../testing/test-database.ts";
import { jobsTestSetup, recordingHandlers, TEST_WORKER, type JobsTestSetup } from "./jobs-fixture.ts";
import { JobFailure } from "./retry.ts";
import { schedule } from "./schedule.ts";

const POLL = TEST_WORKER.pollMs!;

describe(`durable jobs (${storageMode})`, () => {
  let s: JobsTestSetup;
  const jobsOfKind = async (kind: string) => (await s.db.select({ n: count() }).from(jobs).where(eq(jobs.kind, kind)))[0]!.n;

  beforeAll(async () => {
    s = await jobsTestSetup();
  });
  afterAll(() => s.close());

  test("a job scheduled in a transaction that rolls back leaves no job; one that commits stays", async () => {
    const rolledBack = new Error("the change failed after scheduling");
    const attempt = s.db.transaction(async (tx) => {
      await schedule(tx, "tx.test", { n: 1 });
      throw rolledBack;
    });
    await expect(attempt).rejects.toBe(rolledBack);
    expect(await jobsOfKind("tx.test")).toBe(0);

    await s.db.transaction(async (tx) => {
      await schedule(tx, "tx.test", { n: 2 });
    });
    const [row] = await s.db.select().from(jobs).where(eq(jobs.kind, "tx.test"));
    expect(row).toMatchObject({ status: "pending", attempts: 0, payload: { n: 2 } });
  });

  test("a due job runs once, with its id and attempt 1, and is marked done; it never runs again", async () => {
    const { handlers, tries } = recordingHandlers("once.test");
    const worker = s.worker(handlers, "w-once");
    const later = await s.scheduleNow("once.test", {}, { runAt: new Date(s.clock.now() + 5 * POLL) });
    const now = await s.scheduleNow("once.test");
    worker.start();

    await s.clock.advance(POLL);
    expect(tries).toEqual([`${now}#1`]);
    expect(await s.job(now)).toMatchObject({ status: "done", attempts: 1, lockedBy: null, lockedUntil: null, lastError: null });
    expect((await s.job(now)).finishedAt?.getTime()).toBe(s.clock.now());
    expect((await s.job(later)).status).toBe("pending");

    await s.clock.advance(5 * POLL);
    expect(tries).toEqual([`${now}#1`, `${later}#1`]);

    // Long after any lease would have run out, and with a second worker for the kind: nothing more.
    const second = s.worker(handlers, "w-once-2");
    second.start();
    await s.clock.advance(2 * TEST_WORKER.leaseMs!);
    expect(await second.pass()).toBe(0);
    expect(tries).toEqual([`${now}#1`, `${later}#1`]);
    worker.stop();
    second.stop();
  });

  test("a failing job is tried again after 1 s, 2 s, 4 s (capped at 4 s), then marked failed after its last try", async () => {
    const { handlers, tries } = recordingHandlers("fail.test", async () => {
      // An error whose message quotes the payload: it must not reach the table.
      throw Object.assign(new Error("cannot reach kim@example.com's mail server"), { code: "ECONNREFUSED" });
    });
    const worker = s.worker(handlers, "w-fail");
    const id = await s.scheduleNow("fail.test", { to: "kim@example.com" }, { maxAttempts: 5 });
    worker.start();

    await s.clock.advance(POLL);
    const firstFailure = s.clock.now();
    let row = await s.job(id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "Error (ECONNREFUSED)", lockedBy: null });
    expect(row.runAt.getTime()).toBe(firstFailure + 1000);

    // Not before its time: one poll short of the backoff, the second try has not come.
    await s.clock.advance(1000 - POLL);
    expect(tries).toHaveLength(1);
    for (const [attempt, wait] of [[2, 2000], [3, 4000], [4, 4000]] as const) {
      await s.clock.advance(POLL);
      expect(tries).toEqual(Array.from({ length: attempt }, (_, i) => `${id}#${i + 1}`));
      row = await s.job(id);
      expect(row).toMatchObject({ status: "pending", attempts: attempt });
      expect(row.runAt.getTime() - s.clock.now()).toBe(wait);
      await s.clock.advance(wait - POLL);
      expect(tries).toHaveLength(attempt);
    }
    await s.clock.advance(POLL);
    row = await s.job(id);
    expect(row).toMatchObject({ status: "failed", attempts: 5, lastError: "Error (ECONNREFUSED)" });
    expect(row.finishedAt?.getTime()).toBe(s.clock.now());
    expect(JSON.stringify(row.lastError) + s.logs.join("\n")).not.toContain("kim@example.com");

    await s.clock.advance(60_000);
    expect(tries).toHaveLength(5);
    worker.stop();
  });

  test("a handler's own JobFailure message is what admins read; a job that succeeds on a later try is done", async () => {
    let failuresLeft = 1;
    const { handlers, tries } = recordingHandlers("flaky.test", async () => {
      if (failuresLeft-- > 0) throw new JobFailure("the mail server answered 451: try again later");
    });
    const worker = s.worker(handlers, "w-flaky");
    const id = await s.scheduleNow("flaky.test");
    worker.start();
    await s.clock.advance(POLL);
    expect(await s.job(id)).toMatchObject({ status: "pending", lastError: "the mail server answered 451: try again later" });
    await s.clock.advance(1000);
    expect(tries).toEqual([`${id}#1`, `${id}#2`]);
    expect(await s.job(id)).toMatchObject({ status: "done", attempts: 2 });
    worker.stop();
  });

  test("a permanent JobFailure fails the job after that one try, with its message; no try follows", async () => {
    const { handlers, tries } = recordingHandlers("refused.test", async () => {
      throw new JobFailure("the mail server refused the recipient (550)", { permanent: true });
    });
    const worker = s.worker(handlers, "w-refused");
    const id = await s.scheduleNow("refused.test");
    expect(await worker.pass()).toBe(1);
    expect(await s.job(id)).toMatchObject({ status: "failed", attempts: 1, lastError: "the mail server refused the recipient (550)" });
    // A pass after the longest backoff claims nothing: the job is over.
    await s.clock.advance(2 * 60 * 60_000);
    expect(await worker.pass()).toBe(0);
    expect(tries).toEqual([`${id}#1`]);
  });

  test("a job of a kind this worker has no handler for stays pending", async () => {
    const { handlers } = recordingHandlers("known.test");
    const worker = s.worker(handlers, "w-kinds");
    const other = await s.scheduleNow("unknown.test");
    expect(await worker.pass()).toBe(0);
    expect((await s.job(other)).status).toBe("pending");
  });

  test("the idempotency key is unique: scheduling it again returns the first job and makes no second", async () => {
    const first = await schedule(s.db, "key.test", { n: 1 }, { idempotencyKey: "reply-email:c1:7" });
    const again = await s.db.transaction((tx) => schedule(tx, "key.test", { n: 2 }, { idempotencyKey: "reply-email:c1:7" }));
    const other = await schedule(s.db, "key.test", { n: 3 }, { idempotencyKey: "reply-email:c1:8" });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    expect(other.created).toBe(true);
    expect(await jobsOfKind("key.test")).toBe(2);
    expect((await s.job(first.id)).payload).toEqual({ n: 1 });

    const duplicate = await s.db
      .execute(sql`insert into jobs (id, kind, payload, idempotency_key) values (${Bun.randomUUIDv7()}, 'key.test', '{}', 'reply-email:c1:7')`)
      .then(() => null, (err: unknown) => err);
    expect(isUniqueViolation(duplicate)).toBe(true);
  });
});
