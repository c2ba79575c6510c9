// The customer's side of the protocol (docs/widget-protocol.md): who the visitor is, which
// inbox they write to, and what their conversation looks like to them.
import * as contacts from "../contacts/queries.ts";
import { browserOf, pageUrl } from "../contacts/visit.ts";
import * as conversations from "../conversations/service.ts";
import type { Db } from "../db/database.ts";
import { findInbox, findInboxByPublicKey, type Inbox } from "../inboxes/service.ts";
import { toWire } from "../messages/model.ts";
import type { FileLinks } from "../files/links.ts";
import { latestMessages } from "../messages/service.ts";
import { Refusal } from "../http/refusal.ts";
import type { WidgetConversation } from "./frames.ts";
import type { ConversationSummary } from "../conversations/model.ts";
import { identifiedUser, IdentityRefused } from "./identity.ts";
import { widgetLocale, type WidgetLocale } from "./locales/index.ts";
import { hoursNote } from "../inboxes/reply-time.ts";
import { teamFaces } from "./team-faces.ts";
import type { SessionInput } from "./model.ts";
import { emailRepliesOn, shouldAskEmail } from "./email-state.ts";
import { currentEpisodeRated } from "../satisfaction/queries.ts";
import { signVisitorToken, verifyVisitorToken, type VisitorClaims } from "./visitor-token.ts";

/** The contact a session is for: its row, or (a new visitor, not written yet) what it will be. */
export type SessionContact = Pick<contacts.Contact, "id" | "name" | "email" | "externalId"> & Partial<Pick<contacts.Contact, "emailPromptDoneAt">>;

export interface WidgetDeps {
  db: Db;
  sessionSecret: string;
  /** Agents connected and set to Online ("online" or "away" in the widget, and the faces of its home). */
  onlineAgentIds(): Promise<Set<string>>;
  /** The account's time zone: an inbox's business hours are in it unless the inbox names its own. */
  accountZone(): Promise<string>;
  /** SMTP is configured (ctx.mailer): conversation emails can go out. */
  emailConfigured: boolean;
  /** Signs the links of files in the messages a session starts with. */
  fileLinks: Pick<FileLinks, "forWidget">;
}

/** A refused widget request: HTTP status, a code clients can switch on, and a sentence. */
export class WidgetRefused extends Refusal {
  override name = "WidgetRefused";
  constructor(
    override readonly status: 400 | 401 | 403 | 404 | 409,
    override readonly code:
      | "unknown_inbox"
      | "bad_email"
      | "identity_required"
      | "identity_invalid"
      | "unauthorized"
      | "origin_not_allowed"
      | "email_off"
      | "email_required"
      | "no_conversation",
    message: string,
  ) {
    super(status, code, message);
  }
}

export interface Visitor {
  inbox: Inbox;
  contactId: string;
  /** From the token, so no request needs the database to know it. */
  locale: WidgetLocale;
}

/**
 * Our own origin (the widget's iframe) may always connect; other origins only when the inbox
 * lists them, or when its list is empty (the default: embeddable anywhere).
 */
export function originAllowed(inbox: Pick<Inbox, "allowedOrigins">, origin: string | null, ownOrigin: string): boolean {
  if (!origin) return false;
  if (origin === ownOrigin || inbox.allowedOrigins.length === 0) return true;
  return inbox.allowedOrigins.includes(origin);
}

/**
 * Refuses a request from a page the inbox does not allow. Browsers always send an Origin on
 * cross-origin requests; other clients (servers) send none and are let through.
 */
export function checkOrigin(inbox: Pick<Inbox, "allowedOrigins">, origin: string | null, ownOrigin: string): void {
  if (origin !== null && !originAllowed(inbox, origin, ownOrigin)) {
    throw new WidgetRefused(403, "origin_not_allowed", "This inbox does not accept requests from this website.");
  }
}

/** A visitor admitted from verified claims, with what was learnt about their contact row. */
export interface Admitted extends Visitor {
  /** The contact was a verified user when last read; that never reverts (externalId is only ever set). */
  verified: boolean;
}

/**
 * The visitor that verified claims speak for, with the inbox as it is now (cached for a moment,
 * see src/inboxes/service.ts); null when the inbox is gone or no longer admits them. `earlier` is
 * what a previous call returned for the same claims (a socket's): the contact is then read again
 * only when it can matter, since its inbox never changes and it can only become verified.
 */
export async function admitClaims(
  deps: Pick<WidgetDeps, "db"> & { readContact?: (id: string) => Promise<contacts.Contact | undefined> },
  claims: VisitorClaims,
  earlier?: Admitted,
): Promise<Admitted | null> {
  const inbox = await findInbox(deps.db, claims.inboxId);
  if (!inbox) return null;
  let verified = earlier?.verified ?? false;
  if (!earlier || (inbox.requireIdentity && !verified)) {
    const contact = await (deps.readContact ? deps.readContact(claims.contactId) : contacts.findContact(deps.db, claims.contactId));
    // Belt and braces: we never sign a token pairing one inbox with another inbox's contact.
    if (contact && contact.inboxId !== inbox.id) return null;
    verified = Boolean(contact?.externalId);
  }
  // Turning requireIdentity on takes effect at once, also for anonymous tokens issued before.
  if (inbox.requireIdentity && !verified) return null;
  return { inbox, contactId: claims.contactId, locale: claims.locale, verified };
}

/** The visitor a token speaks for; null when it is forged, expired or its inbox is gone. */
export async function visitorFromToken(deps: Pick<WidgetDeps, "db" | "sessionSecret">, token: unknown): Promise<Visitor | null> {
  const claims = verifyVisitorToken(deps.sessionSecret, token);
  const admitted = claims ? await admitClaims(deps, claims) : null;
  return admitted && { inbox: admitted.inbox, contactId: admitted.contactId, locale: admitted.locale };
}

export async function widgetConversation(db: Db, conversationId: string): Promise<WidgetConversation | null> {
  return widgetView(db, await conversations.summary(db, conversationId));
}

/** The widget's view of a conversation from its summary. */
export async function widgetView(db: Db, s: ConversationSummary | undefined): Promise<WidgetConversation | null> {
  if (!s) return null;
  return {
    id: s.id,
    status: s.status,
    lastSeq: s.lastSeq,
    queuePosition: s.queuePosition,
    agent: s.status === "assigned" && s.assigneeName ? { name: s.assigneeName } : null,
    agentReadSeq: s.agentReadSeq,
    customerReadSeq: s.customerReadSeq,
    // Read only for a closed conversation: an open one has nothing to rate.
    rated: s.status === "closed" && (await currentEpisodeRated(db, s.id)),
  };
}

/**
 * Which contact the session is for: a verified user, the returning visitor, or a new one.
 * `locale` is the language the request named (undefined when it named none), stored on a verified
 * user's row; an anonymous visitor's row gets the token's language with their first message.
 */
async function resolveContact(deps: WidgetDeps, inbox: Inbox, input: SessionInput, returning: string | null, locale: WidgetLocale | undefined) {
  if (input.user) {
    const user = await identifiedUser(inbox.identitySecret, input.user).catch((err: unknown) => {
      throw err instanceof IdentityRefused ? new WidgetRefused(401, "identity_invalid", err.message) : err;
    });
    const known = await contacts.findByExternalId(deps.db, inbox.id, user.id);
    // A visitor who writes first and logs in later keeps their conversation.
    const adopted = !known && returning ? await contacts.claimAnonymousContact(deps.db, returning, inbox.id, user, locale) : null;
    return { contact: adopted ?? (await contacts.upsertIdentified(deps.db, inbox.id, user, locale)), proofExpiresAt: user.proofExpiresAt };
  }
  return { contact: await unidentifiedContact(deps, inbox, returning), proofExpiresAt: null };
}

/** The returning anonymous visitor, or a new one (when the inbox talks to anyone). */
async function unidentifiedContact(deps: WidgetDeps, inbox: Inbox, returning: string | null) {
  if (inbox.requireIdentity) {
    throw new WidgetRefused(401, "identity_required", "This inbox talks only to signed-in users: pass user with its hash or an identity token.");
  }
  if (returning) {
    const row = await contacts.findContact(deps.db, returning);
    // A token of a verified user proves nothing once that user is no longer signed in on the page
    // (a shared computer): such a visitor starts afresh instead of reading the user's chat.
    if (!row || !row.externalId) return row ?? { id: returning, name: null, email: null, externalId: null };
  }
  // A new visitor's row is written with their first message, not now (see ensureContact).
  return { id: Bun.randomUUIDv7(), name: null, email: null, externalId: null };
}

/** POST /api/v1/widget/session: the visitor's token, their conversation and its latest messages. */
export async function startSession(deps: WidgetDeps, input: SessionInput, from: { origin: string | null; ownOrigin: string; userAgent: string | null }) {
  const inbox = await findInboxByPublicKey(deps.db, input.inbox);
  if (!inbox) throw new WidgetRefused(404, "unknown_inbox", "No inbox has this public key.");
  checkOrigin(inbox, from.origin, from.ownOrigin);
  const claims = verifyVisitorToken(deps.sessionSecret, input.token);
  const earlier = claims && claims.inboxId === inbox.id ? claims : null;
  // The language the page asks for ("de-AT" -> "de"); a page that names none keeps the visitor's earlier one.
  const named = input.locale === undefined ? undefined : widgetLocale(input.locale);
  const locale = named ?? earlier?.locale ?? "en";
  const { contact, proofExpiresAt } = await resolveContact(deps, inbox, input, earlier?.contactId ?? null, named);
  // A returning visitor's row says where they are now; a new visitor's is written with their first message.
  await contacts.recordVisit(deps.db, contact.id, { page: pageUrl(input.page, inbox), browser: browserOf(from.userAgent) });
  // A session proven by an identity token lasts no longer than that token: a copied one stops working.
  const token = signVisitorToken(deps.sessionSecret, { inboxId: inbox.id, contactId: contact.id, locale, expiresAt: proofExpiresAt });
  return sessionAnswer(deps, inbox, contact, token, locale);
}

/**
 * What a session answers for a contact whose token is `token`: POST /api/v1/widget/session, and
 * the hosted chat page (src/widget/chat-link-routes.tsx), which starts the widget with it.
 */
export async function sessionAnswer(deps: WidgetDeps, inbox: Inbox, contact: SessionContact, token: string, locale: WidgetLocale = "en") {
  const found = await conversations.findByContact(deps.db, inbox.id, contact.id);
  const [conversation, messages, team, hours] = await Promise.all([
    found ? widgetConversation(deps.db, found.id) : null,
    found ? latestMessages(deps.db, found.id) : [],
    deps.onlineAgentIds().then(async (online) => ({ online: online.size > 0, faces: await teamFaces(deps.db, online) })),
    deps.accountZone().then((zone) => hoursNote(deps.db, inbox, zone, new Date(), locale)),
  ]);
  const emailReplies = emailRepliesOn(deps.emailConfigured, inbox);
  // A contact not written yet (a new visitor) has no row: emailPromptDoneAt is then undefined.
  const row = "emailPromptDoneAt" in contact ? { email: contact.email, emailPromptDoneAt: contact.emailPromptDoneAt ?? null } : null;
  return {
    token,
    contact: { id: contact.id, name: contact.name, email: contact.email, verified: contact.externalId !== null },
    conversation,
    messages: messages.map((m) => toWire(m, deps.fileLinks)),
    lastSeq: conversation?.lastSeq ?? 0,
    askEmail: shouldAskEmail(emailReplies, { contact: row, customerWrote: Boolean(found?.lastCustomerMessageAt) }),
    inbox: {
      name: inbox.name,
      greeting: inbox.greeting,
      color: inbox.color,
      position: inbox.position,
      handoffMode: inbox.handoffMode,
      agentsOnline: team.online,
      // Outside business hours the chat is "away" whoever is online; `note` is the header's line,
      // `until` when today's hours end (what the chat says while nobody is online within them).
      open: hours.open,
      note: hours.note,
      until: hours.until,
      team: team.faces,
      emailReplies,
    },
  };
}
