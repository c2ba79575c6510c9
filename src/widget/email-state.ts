// What the widget offers by email (docs/widget-protocol.md, "Email"): whether email replies are on
// for an inbox, and whether to ask a customer once for an address. The server decides both; the
// widget only shows what they say.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { contacts, conversations } from "../db/schema/index.ts";
import type { Inbox } from "../inboxes/service.ts";

/** Email goes out for this inbox: SMTP is configured and the inbox sends reply emails. */
export const emailRepliesOn = (emailConfigured: boolean, inbox: Pick<Inbox, "replyEmails">): boolean => emailConfigured && inbox.replyEmails;

/** What the ask depends on, from the contact's row (null: no row yet) and their conversation. */
export interface AskFacts {
  contact: { email: string | null; emailPromptDoneAt: Date | null } | null;
  /** The customer has written in their conversation at least once. */
  customerWrote: boolean;
}

/**
 * Ask for an address only where it can be used and was never answered: email is on, the contact
 * has no address, has not answered or skipped the ask (on any device), and has written, so that the
 * card follows a question the customer is waiting on.
 */
export function shouldAskEmail(emailOn: boolean, facts: AskFacts): boolean {
  return emailOn && facts.customerWrote && facts.contact !== null && facts.contact.email === null && facts.contact.emailPromptDoneAt === null;
}

/** Whether to ask this contact for an address now; reads nothing when email is off for the inbox. */
export async function askEmailNow(db: Db, emailConfigured: boolean, inbox: Pick<Inbox, "replyEmails">, contactId: string): Promise<boolean> {
  return emailRepliesOn(emailConfigured, inbox) && shouldAskEmail(true, await askFacts(db, contactId));
}

/** The contact's address and ask, and whether they wrote in this inbox's conversation: one statement. */
export async function askFacts(db: Db, contactId: string): Promise<AskFacts> {
  const [row] = await db
    .select({ email: contacts.email, emailPromptDoneAt: contacts.emailPromptDoneAt, lastCustomerMessageAt: conversations.lastCustomerMessageAt })
    .from(contacts)
    // A contact has at most one conversation in its inbox.
    .leftJoin(conversations, and(eq(conversations.contactId, contacts.id), eq(conversations.inboxId, contacts.inboxId)))
    .where(eq(contacts.id, contactId));
  if (!row) return { contact: null, customerWrote: false };
  return { contact: { email: row.email, emailPromptDoneAt: row.emailPromptDoneAt }, customerWrote: row.lastCustomerMessageAt !== null };
}

/** The ask was answered or skipped: never again, on any device. The first answer's time stays. */
export async function markEmailPromptDone(tx: Db, contactId: string): Promise<void> {
  await tx
    .update(contacts)
    .set({ emailPromptDoneAt: sql`coalesce(${contacts.emailPromptDoneAt}, now())` })
    .where(eq(contacts.id, contactId));
}
