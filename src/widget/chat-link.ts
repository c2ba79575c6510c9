// The hosted chat page's service: what a "Continue the conversation" link (src/mail/signed-links.ts
// chatLinkToken) opens. The link stands for one conversation's customer; the page gets a visitor
// session for that contact, minted here, so the widget starts as them (never the link in a URL
// the page keeps, nor the visitor token in one).
import { eq } from "drizzle-orm";
import * as contacts from "../contacts/queries.ts";
import { conversations } from "../db/schema/index.ts";
import { findInbox, type Inbox } from "../inboxes/service.ts";
import { readChatLinkToken } from "../mail/signed-links.ts";
import { isWidgetLocale, type WidgetLocale } from "./locales/index.ts";
import { sessionAnswer, type WidgetDeps } from "./service.ts";
import { signVisitorToken } from "./visitor-token.ts";

export type OpenedChatLink =
  | { ok: true; inbox: Inbox; locale: WidgetLocale; session: Awaited<ReturnType<typeof sessionAnswer>> }
  /** `expired`: a genuine link past its time (410); otherwise forged, unknown or no longer the contact's (404). */
  | { ok: false; expired: boolean };

export async function openChatLink(deps: WidgetDeps, token: string): Promise<OpenedChatLink> {
  const claims = readChatLinkToken(deps.sessionSecret, token);
  // Signed by us but past its time: checked as if it were the epoch, when every link was valid.
  if (!claims) return { ok: false, expired: readChatLinkToken(deps.sessionSecret, token, 0) !== null };
  const [conversation] = await deps.db.select().from(conversations).where(eq(conversations.id, claims.conversationId));
  // The contact must still be the conversation's (a merge or a deletion may have moved it on).
  if (!conversation || conversation.contactId !== claims.contactId) return { ok: false, expired: false };
  const [contact, inbox] = await Promise.all([contacts.findContact(deps.db, conversation.contactId), findInbox(deps.db, conversation.inboxId)]);
  // An inbox that now talks only to signed-in users would refuse this anonymous contact's token.
  if (!contact || !inbox || (inbox.requireIdentity && !contact.externalId)) return { ok: false, expired: false };
  const locale = isWidgetLocale(contact.locale) ? contact.locale : "en";
  // The session lasts no longer than the link that started it.
  const visitorToken = signVisitorToken(deps.sessionSecret, { inboxId: inbox.id, contactId: contact.id, locale, expiresAt: claims.expiresAt });
  return { ok: true, inbox, locale, session: await sessionAnswer(deps, inbox, contact, visitorToken, locale) };
}
