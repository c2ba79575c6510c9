// Reply emails when things go wrong: the mail server refuses a send, or a worker dies after it
// claimed the replies (before or after the send). Each reply still reaches the customer, in at
// most one extra copy under the same Message-ID, and a job that finished never runs again.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { claimDue } from "../jobs/queries.ts";
import { DEFAULT_BACKOFF } from "../jobs/retry.ts";
import { DEFAULT_WORKER_OPTIONS } from "../jobs/worker.ts";
import { mode } from "../widget/widget-api-testing.ts";
import { MINUTE, replyEmailTest, type ReplyEmailTest } from "./reply-email-fixture.ts";
import { claimUnsentReplies, replyEmailJob } from "./reply-email-job.ts";
import { REPLY_EMAIL_JOB, type ReplyEmailPayload } from "./reply-email-schedule.ts";

const LEASE = DEFAULT_WORKER_OPTIONS.leaseMs;

describe(`reply emails when a send or a worker fails (${mode})`, () => {
  let s: ReplyEmailTest;
  beforeAll(async () => {
    s = await replyEmailTest();
  });
  afterAll(() => s.close());

  /** A worker that is about to die takes the due job, as claimDue lets any instance do. */
  async function claimedByDyingWorker(conversationId: string) {
    const taken = await claimDue(s.t.database.db, [REPLY_EMAIL_JOB], "dying-worker", s.clock.now(), LEASE, 10);
    const job = taken.find((j) => (j.payload as ReplyEmailPayload).conversationId === conversationId)!;
    expect(job).toBeDefined();
    return job;
  }

  test("a send the mail server refuses for now (451) gives the replies back; the next try sends them once", async () => {
    const kim = await s.customer();
    await s.reply(kim.conversationId, "Your refund is on its way.");
    s.mail.refuseNext(451);
    await s.later(5 * MINUTE);
    const [failed] = await s.jobsOf(kim.conversationId);
    expect(failed).toMatchObject({ status: "pending", attempts: 1 });
    expect(failed!.lastError).toContain("451");
    expect(failed!.payload).toEqual({ conversationId: kim.conversationId });
    expect(await s.replyEmailedSeq(kim.conversationId)).toBe(0);
    expect(s.mail.to(kim.email!)).toHaveLength(0);

    await s.later(DEFAULT_BACKOFF.baseMs);
    expect((await s.mail.nth(1, kim.email!)).parsed.text).toContain("Your refund is on its way.");
    expect((await s.jobsOf(kim.conversationId))[0]).toMatchObject({ status: "done", attempts: 2 });
    await s.later(60 * MINUTE);
    expect(s.mail.to(kim.email!)).toHaveLength(1);
  });

  test("a permanent refusal (550) fails the job at once, in the admins' words, and gives the replies back", async () => {
    const lee = await s.customer();
    await s.reply(lee.conversationId, "Hello again.");
    s.mail.refuseNext(550);
    await s.later(5 * MINUTE);
    const [job] = await s.jobsOf(lee.conversationId);
    expect(job!.lastError).toBe("the mail server reported an error (550)");
    // Not tried again for two hours: a refusal for good stays one.
    expect(job).toMatchObject({ status: "failed", attempts: 1 });
    expect(await s.replyEmailedSeq(lee.conversationId)).toBe(0);
    expect(JSON.stringify(job) + s.t.logs.join("\n")).not.toContain(lee.email!);
  });

  test("a worker that died after its claim, before sending: the next try sends that range, once, and nothing it did not claim", async () => {
    const ada = await s.customer();
    await s.reply(ada.conversationId, "Before the crash.");
    await s.clock.advance(5 * MINUTE);
    const job = await claimedByDyingWorker(ada.conversationId);
    const claim = await claimUnsentReplies(s.t.database.db, job.id, ada.conversationId);
    expect(claim).not.toBeNull();
    // ...and the worker dies. A new reply comes meanwhile: it has its own job.
    await s.reply(ada.conversationId, "After the crash.");

    await s.later(LEASE - 1000);
    expect((await s.jobsOf(ada.conversationId))[0]).toMatchObject({ status: "running", lockedBy: "dying-worker", payload: { claimed: claim } });
    expect(s.mail.to(ada.email!)).toHaveLength(0);

    // The lease ends after LEASE (claimDue takes a lease that ran out strictly before now).
    await s.later(1001);
    const first = await s.mail.nth(1, ada.email!);
    expect(first.parsed.messageId).toBe(`<reply-${ada.conversationId}-${claim!.to}@localhost>`);
    expect(first.parsed.text).toContain("Before the crash.");
    expect(first.parsed.text).not.toContain("After the crash.");
    expect((await s.jobsOf(ada.conversationId))[0]).toMatchObject({ id: job.id, status: "done", attempts: 2 });

    await s.later(5 * MINUTE);
    const second = await s.mail.nth(2, ada.email!);
    expect(second.parsed.text).toContain("After the crash.");
    expect(second.parsed.text).not.toContain("Before the crash.");

    // Finished jobs never run again, however long the workers go on.
    await s.later(LEASE * 10);
    await s.later(24 * 60 * MINUTE);
    expect(s.mail.to(ada.email!)).toHaveLength(2);
    expect((await s.jobsOf(ada.conversationId)).map((j) => [j.status, j.attempts])).toEqual([
      ["done", 2],
      ["done", 1],
    ]);
  });

  test("a worker that died after sending, before marking the job done: one extra copy, under the same Message-ID", async () => {
    const bo = await s.customer();
    await s.reply(bo.conversationId, "Sent twice at most.");
    await s.clock.advance(5 * MINUTE);
    const job = await claimedByDyingWorker(bo.conversationId);
    await replyEmailJob(s.t.ctx)({ id: job.id, kind: job.kind, payload: job.payload as ReplyEmailPayload, attempt: job.attempts });
    const sent = await s.mail.nth(1, bo.email!);
    // ...and the worker dies before it records the job done.

    await s.later(LEASE + 1);
    const again = await s.mail.nth(2, bo.email!);
    expect(again.parsed.messageId).toBe(sent.parsed.messageId!);
    // The same email; only the chat link differs (it expires a week after it is made).
    const withoutLink = (text: string | undefined) => text?.replace(/\/chat\/\S+/, "/chat/…");
    expect(withoutLink(again.parsed.text)).toBe(withoutLink(sent.parsed.text)!);
    expect((await s.jobsOf(bo.conversationId))[0]).toMatchObject({ status: "done", attempts: 2 });
    await s.later(60 * MINUTE);
    expect(s.mail.to(bo.email!)).toHaveLength(2);
  });
});
