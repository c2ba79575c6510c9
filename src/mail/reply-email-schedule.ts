// An agent's new reply schedules its email job in the reply's own transaction: the reply and the
// job commit together or not at all (ARCHITECTURE §9). The job decides later whether to send.
import type { Db } from "../db/database.ts";
import type { Clock } from "../realtime/clock.ts";
import { insertReplyEmailJob } from "./reply-email-queries.ts";

export const REPLY_EMAIL_JOB = "email.reply";

/** The replies with seq in (after, to]; `previous`: reply_emailed_seq before the claim moved it. */
export interface ReplyClaim {
  after: number;
  to: number;
  previous: number;
}

/** The job's payload; `claimed` is added by the job itself (reply-email-job.ts). */
export interface ReplyEmailPayload {
  conversationId: string;
  claimed?: ReplyClaim;
}

/** What the conversation verbs need to schedule reply emails (ConversationDeps.replyEmails). */
export interface ReplyEmailScheduling {
  /** SMTP is configured: without it nothing is scheduled (and no statement runs). */
  enabled: boolean;
  /** REPLY_EMAIL_DELAY_SECONDS: instead of the inbox's delay (tests, demos). */
  delaySecondsOverride: number | null;
  /** The job worker's clock, which says when the job is due. */
  clock: Clock;
}

/**
 * Inside the transaction that appended the agent's message `seq` (a new one, not a retry): one
 * statement decides whether this contact is emailed and if so writes the job, due after the
 * inbox's delay. Its key makes a second schedule for the same message a no-op.
 */
export async function scheduleReplyEmail(
  tx: Db,
  options: ReplyEmailScheduling | undefined,
  conversation: { id: string; contactId: string; inboxId: string },
  seq: number,
): Promise<void> {
  if (!options?.enabled) return;
  const payload: ReplyEmailPayload = { conversationId: conversation.id };
  await insertReplyEmailJob(tx, {
    kind: REPLY_EMAIL_JOB,
    payload,
    idempotencyKey: `${REPLY_EMAIL_JOB}:${conversation.id}:${seq}`,
    contactId: conversation.contactId,
    inboxId: conversation.inboxId,
    delaySecondsOverride: options.delaySecondsOverride,
    now: new Date(options.clock.now()),
  });
}
