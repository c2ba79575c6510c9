// The customer's verbs (ARCHITECTURE §3): a message (which starts, reopens or just continues their
// one conversation per inbox, and lets the bot answer), asking for a human, reading and typing.
// Each change runs in one transaction and is announced after the commit.
import * as contacts from "../contacts/queries.ts";
import type { Db } from "../db/database.ts";
import type { Inbox } from "../inboxes/service.ts";
import { scheduleQueueAlert } from "../mail/queue-alert-schedule.ts";
import type { MessageWithAuthor } from "../messages/model.ts";
import { appendToLocked, checkMessage, messagesAfter, originalOf, type FileClaim } from "../messages/service.ts";
import type { WidgetLocale } from "../widget/locales/index.ts";
import { botFallback, faqAnswer, isBotFallback } from "./bot.ts";
import { Changes, type ConversationDeps } from "./changes.ts";
import { customerAppends } from "./customer-append-batcher.ts";
import { assigneeStillActive, locked } from "./locked.ts";
import { messagePaths } from "./message-paths.ts";
import { ConversationLimited, type Conversation, type ConversationRef } from "./model.ts";
import * as notify from "./notify.tsx";
import * as q from "./queries.ts";
import { wakeForCustomer } from "../snooze/snooze-service.ts";

/**
 * The contact's one conversation in this inbox, created now: in bot mode it starts with the
 * greeting, otherwise (or when the customer asked for a human first) it joins the queue.
 */
async function openConversation(tx: Db, inbox: Inbox, contactId: string, locale: WidgetLocale | undefined, wantsHuman: boolean, changes: Changes): Promise<Conversation> {
  await contacts.ensureContact(tx, contactId, inbox.id, locale);
  const now = new Date();
  const queued = wantsHuman || inbox.handoffMode === "immediate";
  const { conversation, created } = await q.insertConversationOnce(tx, {
    inboxId: inbox.id,
    contactId,
    status: queued ? "queued" : "bot",
    lastActivityAt: now,
    createdAt: now,
    episodeStartedAt: now,
    queuedAt: queued ? now : null,
    firstQueuedAt: queued ? now : null,
    queueEnteredAt: queued ? now : null,
  });
  if (!created) return conversation;
  changes.newForContact = contactId;
  await changes.record(tx, { conversationId: conversation.id, type: "created", actor: { type: "customer" }, at: now });
  if (queued) {
    changes.queueChanged = true;
    await changes.record(tx, { conversationId: conversation.id, type: "queued", actor: wantsHuman ? { type: "customer" } : { type: "system" }, at: now });
    await scheduleQueueAlert(tx, conversation.id, now);
  } else if (inbox.greeting.trim()) {
    // The row was inserted by this transaction, so no one else can touch it before the commit.
    const message = await appendToLocked(tx, { conversationId: conversation.id, clientId: null, sender: "bot", body: inbox.greeting });
    changes.messages.push({ ...message, agentName: null });
  }
  return conversation;
}

/** A closed conversation comes back when the customer writes: to its agent if it had one, else to the queue. */
async function reopenForCustomer(tx: Db, conversation: Conversation, changes: Changes): Promise<Conversation> {
  const now = new Date();
  const toAgent = await assigneeStillActive(tx, conversation);
  const updated = await q.updateConversation(tx, conversation.id, {
    status: toAgent ? "assigned" : "queued",
    assigneeId: toAgent ? conversation.assigneeId : null,
    queuedAt: toAgent ? conversation.queuedAt : now,
    queueEnteredAt: toAgent ? conversation.queueEnteredAt : now,
    episodeStartedAt: now,
    closedAt: null,
    lastActivityAt: now,
    snoozedUntil: null,
  });
  changes.queueChanged = !toAgent;
  await changes.record(tx, { conversationId: conversation.id, type: "reopened", actor: { type: "customer" }, at: now });
  if (!toAgent) await scheduleQueueAlert(tx, conversation.id, now);
  return updated;
}

/**
 * Asked, inside the transaction, before a customer starts or reopens a conversation: the caller's
 * rate limit for new conversations. Refusing it rolls everything back (see ConversationLimited).
 */
export type AdmitNewConversation = () => Promise<{ ok: true } | { ok: false; retryAfter: number }>;

async function admit(check: AdmitNewConversation | undefined): Promise<void> {
  const verdict = check ? await check() : { ok: true as const };
  if (!verdict.ok) throw new ConversationLimited(verdict.retryAfter);
}

export interface CustomerMessage {
  inbox: Inbox;
  contactId: string;
  admitNew?: AdmitNewConversation;
  clientId: string;
  body: string;
  /** The customer's language (from the visitor token): the bot's built-in answers use it. */
  locale?: WidgetLocale;
  /** Ids of files the customer uploaded for this message (src/files), at most `maxFiles`. */
  files?: string[];
  maxFiles?: number;
}

const claimOf = (input: CustomerMessage): FileClaim | undefined =>
  input.files?.length ? { ids: input.files, owner: { contactId: input.contactId }, max: input.maxFiles ?? 0 } : undefined;

/**
 * A customer's message: starts their conversation if there is none, reopens it if closed, and
 * in bot mode lets the bot answer. A retry returns the original, changes nothing, and publishes
 * it again (which repairs a crash between an earlier commit and its publish).
 */
export async function customerSends(deps: ConversationDeps, input: CustomerMessage): Promise<{ message: MessageWithAuthor; created: boolean; conversation: ConversationRef }> {
  checkMessage({ ...input, files: claimOf(input) });
  const paths = messagePaths(deps.db);
  // A message with files takes the full path: its files are claimed in its transaction.
  if (!input.files?.length && paths.batchFor(input.inbox.id, input.contactId)) {
    const batched = await batchedAppend(deps, input);
    if (batched) {
      paths.seen({ inboxId: input.inbox.id, contactId: input.contactId, status: batched.conversation.status });
      const message = { ...batched.message, agentName: null };
      // A retry publishes the original again: it repairs a crash between an earlier commit and its publish.
      await notify.messagesPosted(deps, batched.conversation.id, [message], batched.created ? performance.now() : undefined);
      // This path only appends a message: the conversation keeps its status and agent.
      await notify.rowChanged(deps, batched.conversation.id, { customerWrote: batched.created, inPlace: true });
      return { message, created: batched.created, conversation: batched.conversation };
    }
    // Changed since this process last saw it (closed on another instance, say): the full path takes it.
  }
  const result = await fullTransaction(deps, input);
  paths.seen(result.conversation);
  return result;
}

/** The one-statement path (shared with other customers' messages) for a conversation that only gains a message; null when it needs more. */
function batchedAppend(deps: ConversationDeps, input: CustomerMessage) {
  return customerAppends(deps.db).append({
    inboxId: input.inbox.id,
    contactId: input.contactId,
    id: Bun.randomUUIDv7(),
    clientId: input.clientId,
    body: input.body.trim(),
    createdAt: new Date(),
  });
}

/** Any conversation, in any state: start it, reopen it, let the bot answer; then tell everyone. */
async function fullTransaction(deps: ConversationDeps, input: CustomerMessage) {
  const changes = new Changes();
  const result = await deps.db.transaction(async (tx) => {
    let conversation = await q.lockByContact(tx, input.inbox.id, input.contactId);
    if (!conversation) {
      await admit(input.admitNew);
      conversation = await locked(tx, (await openConversation(tx, input.inbox, input.contactId, input.locale, false, changes)).id);
    }
    const original = await originalOf(tx, conversation.id, input.clientId);
    if (original) return { message: { ...original, agentName: null }, created: false, conversation };
    if (conversation.status === "closed") {
      await admit(input.admitNew);
      conversation = await reopenForCustomer(tx, conversation, changes);
    }
    conversation = await wakeForCustomer(tx, conversation, changes);
    const message = await appendToLocked(tx, { conversationId: conversation.id, clientId: input.clientId, sender: "customer", body: input.body, files: claimOf(input) });
    changes.messages.push({ ...message, agentName: null });
    if (conversation.status === "bot") await botAnswers(tx, input.inbox, input.locale ?? "en", conversation.id, message.seq, message.body, changes);
    return { message: { ...message, agentName: null }, created: true, conversation };
  });
  if (!result.created) changes.republish(result.message);
  changes.customerWrote = result.created;
  await changes.announce(deps, result.conversation.id);
  return result;
}

async function botAnswers(tx: Db, inbox: Inbox, locale: WidgetLocale, conversationId: string, customerSeq: number, body: string, changes: Changes) {
  let answer = faqAnswer(inbox.faq, body);
  if (!answer) {
    // Say the fallback once, not after every message the customer adds (whatever language it was said in).
    const [previous] = await messagesAfter(tx, conversationId, customerSeq - 2, 1);
    if (previous?.sender === "bot" && isBotFallback(previous.body)) return;
    answer = botFallback(locale);
  }
  const message = await appendToLocked(tx, { conversationId, clientId: null, sender: "bot", body: answer });
  changes.messages.push({ ...message, agentName: null });
}

/**
 * "Talk to a human": from the bot (or a closed conversation) into the queue. Idempotent. With
 * `awayEmail` (nobody was online) the address goes on the contact and the conversation waits in
 * the queue marked offline, so agents know to answer by email.
 */
export async function customerAsksForHuman(
  deps: ConversationDeps,
  input: { inbox: Inbox; contactId: string; admitNew?: AdmitNewConversation; awayEmail?: string; locale?: WidgetLocale },
): Promise<Conversation> {
  const changes = new Changes();
  const conversation = await deps.db.transaction(async (tx) => {
    if (input.awayEmail !== undefined) {
      await contacts.ensureContact(tx, input.contactId, input.inbox.id, input.locale);
      await contacts.setContactEmail(tx, input.contactId, input.awayEmail);
    }
    const waiting = await intoQueue(tx, input, changes);
    if (input.awayEmail === undefined || waiting.status !== "queued" || waiting.offline) return waiting;
    changes.queueChanged = true;
    return q.updateConversation(tx, waiting.id, { offline: true });
  });
  messagePaths(deps.db).seen(conversation);
  await changes.announce(deps, conversation.id);
  return conversation;
}

async function intoQueue(
  tx: Db,
  input: { inbox: Inbox; contactId: string; admitNew?: AdmitNewConversation; locale?: WidgetLocale },
  changes: Changes,
): Promise<Conversation> {
  const conversation = await q.lockByContact(tx, input.inbox.id, input.contactId);
  if (!conversation) {
    await admit(input.admitNew);
    return openConversation(tx, input.inbox, input.contactId, input.locale, true, changes);
  }
  if (conversation.status === "closed") {
    await admit(input.admitNew);
    return reopenForCustomer(tx, conversation, changes);
  }
  if (conversation.status !== "bot") return conversation;
  const now = new Date();
  const updated = await q.updateConversation(tx, conversation.id, {
    status: "queued",
    queuedAt: now,
    queueEnteredAt: now,
    firstQueuedAt: conversation.firstQueuedAt ?? now,
  });
  changes.queueChanged = true;
  await changes.record(tx, { conversationId: conversation.id, type: "queued", actor: { type: "customer" }, at: now });
  await scheduleQueueAlert(tx, conversation.id, now);
  return updated;
}

export async function customerRead(deps: ConversationDeps, conversationId: string, seq: number): Promise<void> {
  const raised = await q.raiseReadSeq(deps.db, conversationId, "customer", seq);
  if (raised !== null) await notify.customerRead(deps, conversationId, raised);
}

export function customerTyping(deps: ConversationDeps, conversationId: string, on: boolean) {
  return notify.customerTyping(deps, conversationId, on);
}
