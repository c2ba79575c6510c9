// The statements of reply emails (issue 14): whether an agent's reply schedules one, and the
// claim that makes each reply emailed at most once (reply-email-job.ts says how they fit).
import { messageTextSql } from "../messages/message-text.ts";
import { and, asc, eq, gt, lte, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import { agents, contacts, conversations, inboxes, jobs, messages } from "../db/schema/index.ts";

export interface NewReplyEmailJob {
  kind: string;
  payload: object;
  idempotencyKey: string;
  contactId: string;
  inboxId: string;
  /** Due this long after `now` instead of the inbox's delay (REPLY_EMAIL_DELAY_SECONDS). */
  delaySecondsOverride: number | null;
  now: Date;
}

/**
 * Writes the job only when this contact is to be emailed about replies (the inbox sends them, the
 * contact has an address and has not unsubscribed), due after the inbox's delay: the decision and
 * the insert in one statement of two primary-key probes, since it runs inside every agent reply's
 * transaction. The same columns and key rule as jobs/schedule.ts. Returns whether a job was written.
 */
export async function insertReplyEmailJob(tx: Db, job: NewReplyEmailJob): Promise<boolean> {
  // Raw sql gets no column mapping: postgres.js needs times as text, cast explicitly.
  const result = await tx.execute(sql`
    insert into ${jobs} (id, kind, payload, run_at, idempotency_key)
    select ${Bun.randomUUIDv7()}::uuid, ${job.kind}, ${JSON.stringify(job.payload)}::jsonb,
      ${job.now.toISOString()}::timestamptz + make_interval(secs => coalesce(${job.delaySecondsOverride}::integer, i.reply_email_delay_minutes * 60)),
      ${job.idempotencyKey}
    from ${inboxes} i join ${contacts} ct on ct.id = ${job.contactId}
    where i.id = ${job.inboxId} and i.reply_emails and ct.email is not null and ct.email_unsubscribed_at is null
    on conflict (idempotency_key) do nothing
    returning id`);
  return rowsOf(result).length > 0;
}

/** Who a conversation's reply email goes to, and from which inbox. */
export interface ReplyRecipient {
  contactId: string;
  email: string | null;
  locale: string | null;
  unsubscribed: boolean;
  inboxName: string;
  senderName: string | null;
  replyEmails: boolean;
}

/** Where the conversation's replies stand: emailed up to, read up to. */
export interface ReplyState extends ReplyRecipient {
  replyEmailedSeq: number;
  customerReadSeq: number;
}

const recipientColumns = {
  contactId: contacts.id,
  email: contacts.email,
  locale: contacts.locale,
  unsubscribedAt: contacts.emailUnsubscribedAt,
  inboxName: inboxes.name,
  senderName: inboxes.emailSenderName,
  replyEmails: inboxes.replyEmails,
};

function recipientOf(row: { unsubscribedAt: Date | null } & Omit<ReplyRecipient, "unsubscribed">): ReplyRecipient {
  const { unsubscribedAt, ...rest } = row;
  return { ...rest, unsubscribed: unsubscribedAt !== null };
}

/** The conversation's row locked (only it: contact and inbox are read), with its contact and inbox. */
export async function lockReplyState(tx: Db, conversationId: string): Promise<ReplyState | undefined> {
  const [row] = await tx
    .select({ ...recipientColumns, replyEmailedSeq: conversations.replyEmailedSeq, customerReadSeq: conversations.customerReadSeq })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
    .where(eq(conversations.id, conversationId))
    .for("update", { of: conversations });
  return row && { ...recipientOf(row), replyEmailedSeq: row.replyEmailedSeq, customerReadSeq: row.customerReadSeq };
}

/** The same, unlocked: for sending a range claimed earlier again. */
export async function readRecipient(db: Db, conversationId: string): Promise<ReplyRecipient | undefined> {
  const [row] = await db
    .select(recipientColumns)
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
    .where(eq(conversations.id, conversationId));
  return row && recipientOf(row);
}

export interface AgentReply {
  seq: number;
  /** The body's first 201 characters at most: enough to tell whether the email must cut it. */
  body: string;
  agentName: string | null;
}

/** The agents' messages with seq in (after, to] (to: the newest when null), oldest first. */
export async function agentRepliesBetween(db: Db, conversationId: string, after: number, to: number | null): Promise<AgentReply[]> {
  return db
    .select({ seq: messages.seq, body: sql<string>`left(${messageTextSql("messages")}, 201)`, agentName: agents.name })
    .from(messages)
    .leftJoin(agents, eq(agents.id, messages.agentId))
    .where(
      and(
        eq(messages.conversationId, conversationId),
        eq(messages.sender, "agent"),
        gt(messages.seq, after),
        to === null ? undefined : lte(messages.seq, to),
      ),
    )
    .orderBy(asc(messages.seq));
}

/** The newest agent message after `after`, if any. */
export async function newestAgentReplyAfter(tx: Db, conversationId: string, after: number): Promise<number | null> {
  const [row] = await tx
    .select({ seq: sql<number | null>`max(${messages.seq})` })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.sender, "agent"), gt(messages.seq, after)));
  return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
}

export async function setReplyEmailedSeq(tx: Db, conversationId: string, seq: number): Promise<void> {
  await tx.update(conversations).set({ replyEmailedSeq: seq }).where(eq(conversations.id, conversationId));
}

/** Records in the job's own row what it claimed, so that a later try after a crash sends the same. */
export async function writeClaim(tx: Db, jobId: string, claim: object): Promise<void> {
  await tx
    .update(jobs)
    .set({ payload: sql`${jobs.payload} || jsonb_build_object('claimed', ${JSON.stringify(claim)}::jsonb)` })
    .where(eq(jobs.id, jobId));
}

/**
 * Undoes a claim whose email could not be sent: the replies count as not emailed again, unless
 * another claim has moved past them since, and the job's row forgets the claim.
 */
export async function releaseClaim(db: Db, r: { jobId: string; conversationId: string; previous: number; to: number }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(conversations)
      .set({ replyEmailedSeq: r.previous })
      .where(and(eq(conversations.id, r.conversationId), eq(conversations.replyEmailedSeq, r.to)));
    await tx.update(jobs).set({ payload: sql`${jobs.payload} - 'claimed'` }).where(eq(jobs.id, r.jobId));
  });
}

/** The contact gets no more conversation emails. The first time stays recorded; false: no such contact. */
export async function unsubscribeContact(db: Db, contactId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(contacts)
    .set({ emailUnsubscribedAt: sql`coalesce(${contacts.emailUnsubscribedAt}, ${now.toISOString()}::timestamptz)` })
    .where(eq(contacts.id, contactId))
    .returning({ id: contacts.id });
  return rows.length > 0;
}
