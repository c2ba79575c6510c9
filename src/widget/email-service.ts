// The customer's email verbs in the widget: answering (or skipping) the one-time ask for an address,
// and "Email me this conversation". Both refuse when email is off, so a client never gets a promise
// the server cannot keep.
import { eq } from "drizzle-orm";
import * as contacts from "../contacts/queries.ts";
import type { ConversationDeps } from "../conversations/changes.ts";
import * as notify from "../conversations/notify.tsx";
import { findByContact } from "../conversations/queries.ts";
import { conversations } from "../db/schema/index.ts";
import { schedule } from "../jobs/schedule.ts";
import { emailRepliesOn, markEmailPromptDone } from "./email-state.ts";
import { WidgetRefused, type Visitor } from "./service.ts";

export const TRANSCRIPT_JOB = "email.transcript";

/** What the transcript job needs: the conversation and how far it went when the customer asked. */
export interface TranscriptPayload {
  conversationId: string;
  upToSeq: number;
}

export interface EmailVerbDeps extends ConversationDeps {
  /** SMTP is configured (ctx.mailer). */
  emailConfigured: boolean;
}

/** Refuses (409 email_off) unless this inbox sends email: SMTP configured and reply emails on. */
export function refuseUnlessEmailOn(deps: Pick<EmailVerbDeps, "emailConfigured">, visitor: Visitor): void {
  if (!emailRepliesOn(deps.emailConfigured, visitor.inbox)) {
    throw new WidgetRefused(409, "email_off", "This chat does not send email.");
  }
}

/**
 * The one-time ask, answered with an address (stored unverified, as the away form's) or skipped:
 * either way it is not asked again, on any device. Agents see the new address on the list row.
 */
export async function answerEmailPrompt(deps: EmailVerbDeps, visitor: Visitor, email: string | null): Promise<void> {
  refuseUnlessEmailOn(deps, visitor);
  await deps.db.transaction(async (tx) => {
    await contacts.ensureContact(tx, visitor.contactId, visitor.inbox.id, visitor.locale);
    if (email !== null) await contacts.setContactEmail(tx, visitor.contactId, email);
    await markEmailPromptDone(tx, visitor.contactId);
  });
  if (email === null) return;
  const conversation = await findByContact(deps.db, visitor.inbox.id, visitor.contactId);
  // The contact's address shows on the row; the conversation stays in its lists.
  if (conversation) await notify.rowChanged(deps, conversation.id, { inPlace: true });
}

/**
 * "Email me this conversation": schedules the transcript job in the same transaction that stores a
 * typed address. Keyed by the conversation's newest seq, so a double click sends one email and a
 * request after a new message sends the conversation as it is then. Answers where it goes.
 */
export async function requestTranscript(deps: EmailVerbDeps, visitor: Visitor, typed: string | null): Promise<{ to: string }> {
  refuseUnlessEmailOn(deps, visitor);
  const found = await findByContact(deps.db, visitor.inbox.id, visitor.contactId);
  if (!found) throw new WidgetRefused(404, "no_conversation", "There is no conversation to send yet.");
  const to = await deps.db.transaction(async (tx) => {
    if (typed !== null) {
      await contacts.setContactEmail(tx, visitor.contactId, typed);
      await markEmailPromptDone(tx, visitor.contactId);
    }
    const contact = await contacts.findContact(tx, visitor.contactId);
    if (!contact?.email) throw new WidgetRefused(400, "email_required", "Enter the email address to send the conversation to.");
    const [{ lastSeq } = { lastSeq: 0 }] = await tx.select({ lastSeq: conversations.lastSeq }).from(conversations).where(eq(conversations.id, found.id));
    const payload: TranscriptPayload = { conversationId: found.id, upToSeq: lastSeq };
    await schedule(tx, TRANSCRIPT_JOB, payload, { idempotencyKey: `${TRANSCRIPT_JOB}:${found.id}:${lastSeq}` });
    return contact.email;
  });
  if (typed !== null) await notify.rowChanged(deps, found.id, { inPlace: true });
  return { to };
}
