import { eq } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { contacts, conversations, inboxes } from "../db/schema/index.ts";

/** Who a conversation's transcript goes to and in whose name: one statement. Undefined when the conversation is gone. */
export async function transcriptRecipient(db: Db, conversationId: string) {
  const [row] = await db
    .select({
      email: contacts.email,
      locale: contacts.locale,
      inboxName: inboxes.name,
      senderName: inboxes.emailSenderName,
    })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
    .where(eq(conversations.id, conversationId));
  return row;
}
