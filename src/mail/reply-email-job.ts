// The job `email.reply`: some minutes after an agent's reply, the customer who has not read it
// gets one email with every reply they have not read and that no email has carried yet.
//
// Each reply is emailed at most once, across instances, and a crash mid-send costs at most one
// extra copy, because of the order of three steps:
//  1. Claim, in a short transaction on the conversation's locked row: the agent replies after
//     max(reply_emailed_seq, customer_read_seq) are this job's; reply_emailed_seq moves past them
//     and the job's own payload records the range. A second job of the conversation waits for the
//     lock, then finds nothing left.
//  2. Send, with no lock held, under a Message-ID named by the range.
//  3. A failed send gives the range back (unless a later claim moved on) and is tried again. A try
//     that died between 1 and the end of 2 left its claim in the payload: the next try sends that
//     range again, under the same Message-ID, and nothing else.
import type { AppContext } from "../app-context.ts";
import { isUuid } from "../conversations/model.ts";
import type { Db } from "../db/database.ts";
import type { JobHandler } from "../jobs/handlers.ts";
import { JobFailure } from "../jobs/retry.ts";
import { unratedClosedAt } from "../satisfaction/queries.ts";
import { mailErrorCodes, sendFailureReason } from "./mailer.ts";
import { replyEmail } from "./reply-email-content.tsx";
import * as q from "./reply-email-queries.ts";
import type { ReplyClaim, ReplyEmailPayload } from "./reply-email-schedule.ts";

const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function claimIn(payload: ReplyEmailPayload): ReplyClaim | null {
  const c = payload.claimed;
  return c && isSeq(c.after) && isSeq(c.to) && isSeq(c.previous) ? c : null;
}

/** Whether this recipient is emailed at all: the guards of step 1, checked again before a resend. */
const sendable = (r: q.ReplyRecipient): r is q.ReplyRecipient & { email: string } => r.email !== null && !r.unsubscribed && r.replyEmails;

/** Step 1: the unsent, unread replies become this job's; null when there are none (or no one to send them to). */
export async function claimUnsentReplies(db: Db, jobId: string, conversationId: string): Promise<ReplyClaim | null> {
  return db.transaction(async (tx) => {
    const state = await q.lockReplyState(tx, conversationId);
    if (!state || !sendable(state)) return null;
    const after = Math.max(state.replyEmailedSeq, state.customerReadSeq);
    const to = await q.newestAgentReplyAfter(tx, conversationId, after);
    if (to === null) return null;
    const claim: ReplyClaim = { after, to, previous: state.replyEmailedSeq };
    await q.setReplyEmailedSeq(tx, conversationId, to);
    await q.writeClaim(tx, jobId, claim);
    return claim;
  });
}

/** 5xx: the mail server refused for good (no such mailbox, sender refused); other failures may pass. */
const refusedForGood = (err: unknown) => {
  const { responseCode } = mailErrorCodes(err);
  return responseCode !== undefined && responseCode >= 500 && responseCode < 600;
};

export function replyEmailJob(ctx: AppContext): JobHandler<ReplyEmailPayload> {
  const db = ctx.database.db;
  return async (job) => {
    const { conversationId } = job.payload ?? ({} as ReplyEmailPayload);
    // Read at run time: without SMTP (or a test's mailer swapped in) the job finishes with nothing sent.
    const mailer = ctx.mailer;
    if (!mailer || typeof conversationId !== "string" || !isUuid(conversationId)) return;
    const earlier = claimIn(job.payload);
    const claim = earlier ?? (await claimUnsentReplies(db, job.id, conversationId));
    if (!claim) return;
    const recipient = await q.readRecipient(db, conversationId);
    // Unsubscribed (or the address removed) between the claim and now: the claim stands, nothing goes.
    if (!recipient || !sendable(recipient)) return;
    const replies = await q.agentRepliesBetween(db, conversationId, claim.after, claim.to);
    if (!replies.length) return;
    // A closed conversation not rated yet: the customer has left, so the email asks (issue 16).
    const closedAt = await unratedClosedAt(db, conversationId);
    const mail = await replyEmail(
      { conversationId, recipient, replies, claimedTo: claim.to, unratedClosedAt: closedAt },
      { secret: ctx.sessionSecret, publicUrl: ctx.config.publicUrl, inboundDomain: ctx.config.email.inboundDomain },
    );
    try {
      await mailer.send(mail);
    } catch (err) {
      await q.releaseClaim(db, { jobId: job.id, conversationId, previous: claim.previous, to: claim.to });
      ctx.log.info("reply email not sent", { job: job.id, conversation: conversationId, attempt: job.attempt, ...mailErrorCodes(err) });
      if (refusedForGood(err)) throw new JobFailure(`${sendFailureReason(err)} (${mailErrorCodes(err).responseCode})`, { permanent: true });
      throw err;
    }
    ctx.log.info("reply email sent", { job: job.id, conversation: conversationId, replies: replies.length, resent: earlier !== null });
  };
}
