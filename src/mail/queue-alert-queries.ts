// What the queue alert reads: the conversation's stay in the queue, the queue's length, and who is told.
import { and, count, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { agents, contacts, conversations, inboxes } from "../db/schema/index.ts";

export interface QueueStay {
  status: (typeof conversations.$inferSelect)["status"];
  queueEnteredAt: Date | null;
  inboxName: string;
  contactId: string;
  contactName: string | null;
  contactEmail: string | null;
}

export function queueStay(db: Db, conversationId: string): Promise<QueueStay | undefined> {
  return db
    .select({
      status: conversations.status,
      queueEnteredAt: conversations.queueEnteredAt,
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

/** Customers waiting in the queue now (the queue's partial index). */
export async function waitingCount(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(conversations).where(eq(conversations.status, "queued"));
  return row?.n ?? 0;
}

/** Active admins who chose the queue alert in their profile. */
export function queueAlertAdmins(db: Db): Promise<Array<{ id: string; email: string }>> {
  return db
    .select({ id: agents.id, email: agents.email })
    .from(agents)
    .where(and(eq(agents.role, "admin"), isNull(agents.deactivatedAt), eq(agents.notifyQueueEmail, true)))
    .orderBy(agents.createdAt);
}
