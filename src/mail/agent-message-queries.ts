// What the agents' message alerts read: who may be emailed, and what the email says.
import { messageTextSql } from "../messages/message-text.ts";
import { and, desc, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { agents, contacts, conversations, inboxes, messages } from "../db/schema/index.ts";

export interface AlertableAgent {
  id: string;
  inboxSeenAt: Date | null;
}

/** Of `ids`, the active agents with the email alert on who have had no inbox open since `seenBefore` (one statement). */
export function agentsToAlert(db: Db, ids: string[], seenBefore: Date): Promise<AlertableAgent[]> {
  return db
    .select({ id: agents.id, inboxSeenAt: agents.inboxSeenAt })
    .from(agents)
    .where(
      and(
        inArray(agents.id, ids),
        isNull(agents.deactivatedAt),
        eq(agents.notifyEmail, true),
        or(isNull(agents.inboxSeenAt), lte(agents.inboxSeenAt, seenBefore)),
      ),
    );
}

export interface AlertRecipient {
  email: string;
  name: string;
  notifyEmail: boolean;
  deactivatedAt: Date | null;
  inboxSeenAt: Date | null;
}

export function alertRecipient(db: Db, agentId: string): Promise<AlertRecipient | undefined> {
  return db
    .select({ email: agents.email, name: agents.name, notifyEmail: agents.notifyEmail, deactivatedAt: agents.deactivatedAt, inboxSeenAt: agents.inboxSeenAt })
    .from(agents)
    .where(eq(agents.id, agentId))
    .then((rows) => rows[0]);
}

export interface AlertConversation {
  status: (typeof conversations.$inferSelect)["status"];
  assigneeId: string | null;
  agentReadSeq: number;
  inboxName: string;
  contactId: string;
  contactName: string | null;
  contactEmail: string | null;
}

export function alertConversation(db: Db, conversationId: string): Promise<AlertConversation | undefined> {
  return db
    .select({
      status: conversations.status,
      assigneeId: conversations.assigneeId,
      agentReadSeq: conversations.agentReadSeq,
      inboxName: inboxes.name,
      contactId: contacts.id,
      contactName: contacts.name,
      contactEmail: contacts.email,
    })
    .from(conversations)
    .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(conversations.id, conversationId))
    .then((rows) => rows[0]);
}

export interface UnreadMessages {
  /** The newest ones, oldest first. */
  newest: Array<{ seq: number; body: string }>;
  /** How many there are in all. */
  total: number;
}

/** The customer's messages after `afterSeq` (what no agent has read): the newest `limit`, and how many. */
export async function unreadCustomerMessages(db: Db, conversationId: string, afterSeq: number, limit: number): Promise<UnreadMessages> {
  const rows = await db
    .select({ seq: messages.seq, body: messageTextSql("messages").mapWith(String), total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), gt(messages.seq, afterSeq), eq(messages.sender, "customer")))
    .orderBy(desc(messages.seq))
    .limit(limit);
  return { newest: rows.map(({ seq, body }) => ({ seq, body })).reverse(), total: rows[0]?.total ?? 0 };
}
