// The conversation verbs (ARCHITECTURE §3): each runs in one transaction that locks the
// conversation row, appends what changed to conversation_events, and only after the commit tells
// everyone (notify.tsx). A verb that throws has changed nothing and told no one.
import * as contacts from "../contacts/queries.ts";
import type { Db } from "../db/database.ts";
import type { Inbox } from "../inboxes/service.ts";
import type { MessageWithAuthor } from "../messages/model.ts";
import { appendToLocked, checkMessage, LATEST_LIMIT, messagesAfter, originalOf } from "../messages/service.ts";
import { botFallback, faqAnswer, isBotFallback } from "./bot.ts";
import type { WidgetLocale } from "../widget/locales/index.ts";
import type { EventView } from "../../views/conversations/conversation-event.tsx";
import {
  actorLabel,
  ConversationLimited,
  ConversationRefused,
  COUNT_CAP,
  decodeCursor,
  encodeCursor,
  isUuid,
  MAX_PAGE_SIZE,
  PAGE_SIZE,
  type Actor,
  type Conversation,
  type ConversationSummary,
  type ListRow,
  type Tab,
} from "./model.ts";
import * as notify from "./notify.tsx";
import * as q from "./queries.ts";
import { customerAppends } from "./customer-append-batcher.ts";

export type ConversationDeps = notify.NotifyDeps;

export interface AgentRef {
  id: string;
  name: string;
}

/** What one verb changed, collected inside the transaction and announced after the commit. */
class Changes {
  readonly events: EventView[] = [];
  readonly messages: MessageWithAuthor[] = [];
  queueChanged = false;
  newForContact: string | undefined;

  /** Appends an event stamped `at`: the instant the verb wrote on the conversation for the same change. */
  async record(tx: Db, e: Parameters<typeof q.insertEvent>[1] & { targetName?: string }) {
    const row = await q.insertEvent(tx, e);
    const actorName = actorLabel(e.actor.type, e.actor.type === "agent" ? e.actor.name : null);
    this.events.push({ id: row.id, type: e.type, actorName, targetName: e.targetName, createdAt: row.createdAt });
  }

  /** Tells everyone; returns the summary it read when the state changed (undefined otherwise). */
  async announce(deps: ConversationDeps, conversationId: string): Promise<ConversationSummary | undefined> {
    let summary: ConversationSummary | undefined;
    if (this.events.length || this.queueChanged) {
      summary = await notify.statusChanged(deps, conversationId, this.events, { queueChanged: this.queueChanged, newForContact: this.newForContact });
    }
    if (this.messages.length) await notify.messagesPosted(deps, conversationId, this.messages);
    if (this.events.length || this.queueChanged || this.messages.length) await notify.rowChanged(deps, conversationId);
    return summary;
  }
}

const agentActor = (agent: AgentRef): Actor => ({ type: "agent", id: agent.id, name: agent.name });

const notFound = () => new ConversationRefused("not_found", "This conversation does not exist.");

/** Refuses, before anything else is checked, an id that cannot be a conversation's (from a URL). */
function refuseMalformed(id: string) {
  if (!isUuid(id)) throw notFound();
}

/** The conversation, locked until the transaction ends; an unknown or malformed id is refused. */
async function locked(tx: Db, id: string): Promise<Conversation> {
  refuseMalformed(id);
  const conversation = await q.lockConversation(tx, id);
  if (!conversation) throw notFound();
  return conversation;
}

function refuseClosed(conversation: Conversation) {
  if (conversation.status === "closed") {
    throw new ConversationRefused("closed", "This conversation is closed. Reopen it first.");
  }
}

/** Whether the agent it was last with can have it back (their account still active). */
async function assigneeStillActive(tx: Db, c: Conversation): Promise<boolean> {
  return c.assigneeId !== null && (await q.activeAgent(tx, c.assigneeId)) !== undefined;
}

/** assigned with nobody (the assignee's account was removed) counts as waiting for someone. */
const isOwned = (c: Conversation) => c.status === "assigned" && c.assigneeId !== null;

// The starts of the intervals analytics measures are kept on the conversation as it moves and
// stamped on the event that ends each interval (conversation_events.started_at), so that reading
// them is one range scan. The fallbacks cover a row last moved by a version that did not keep
// them (an instance not yet upgraded); migration 0007 filled them in for everything before.

/** When the conversation entered the queue, if it is in it: a claim or assignment now ends that wait. */
const queueWaitStart = (c: Conversation) => (c.status === "queued" ? (c.queueEnteredAt ?? c.queuedAt) : null);

/** When the episode that a close now ends began: creation, or the latest reopen. */
const episodeStart = (c: Conversation) => c.episodeStartedAt ?? c.createdAt;

/**
 * The conversation after an agent verb, with the summary read to announce the change (absent
 * when nothing changed), so that the caller need not read it again.
 */
export type VerbResult = Conversation & { summary?: ConversationSummary };

/**
 * The shape of every agent verb on one conversation: lock it, let `change` decide and record,
 * commit, then tell everyone what changed.
 */
async function onLocked(
  deps: ConversationDeps,
  conversationId: string,
  change: (tx: Db, c: Conversation, changes: Changes) => Promise<Conversation>,
): Promise<VerbResult> {
  refuseMalformed(conversationId);
  const changes = new Changes();
  const conversation = await deps.db.transaction(async (tx) => change(tx, await locked(tx, conversationId), changes));
  const summary = await changes.announce(deps, conversation.id);
  return summary ? { ...conversation, summary } : conversation;
}

// --- the customer's side ---------------------------------------------------------------------

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
  });
  changes.queueChanged = !toAgent;
  await changes.record(tx, { conversationId: conversation.id, type: "reopened", actor: { type: "customer" }, at: now });
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
}

/**
 * A customer's message: starts their conversation if there is none, reopens it if closed, and
 * in bot mode lets the bot answer. A retry returns the original, changes nothing, and publishes
 * it again (which repairs a crash between an earlier commit and its publish).
 */
export async function customerSends(deps: ConversationDeps, input: CustomerMessage): Promise<{ message: MessageWithAuthor; created: boolean; conversation: q.ConversationRef }> {
  checkMessage(input);
  const fast = await fastPath(deps, input);
  if (fast) {
    const message = { ...fast.message, agentName: null };
    // A retry publishes the original again: it repairs a crash between an earlier commit and its publish.
    await notify.messagesPosted(deps, fast.conversation.id, [message]);
    await notify.rowChanged(deps, fast.conversation.id);
    return { message, created: fast.created, conversation: fast.conversation };
  }
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
    const message = await appendToLocked(tx, { conversationId: conversation.id, clientId: input.clientId, sender: "customer", body: input.body });
    changes.messages.push({ ...message, agentName: null });
    if (conversation.status === "bot") await botAnswers(tx, input.inbox, input.locale ?? "en", conversation.id, message.seq, message.body, changes);
    return { message: { ...message, agentName: null }, created: true, conversation };
  });
  if (!result.created) changes.messages.push(result.message);
  await changes.announce(deps, result.conversation.id);
  return result;
}

/** The one-statement path (shared with other customers' messages) for a conversation that only gains a message; null when it needs more. */
function fastPath(deps: ConversationDeps, input: CustomerMessage) {
  return customerAppends(deps.db).append({
    inboxId: input.inbox.id,
    contactId: input.contactId,
    id: Bun.randomUUIDv7(),
    clientId: input.clientId,
    body: input.body.trim(),
    createdAt: new Date(),
  });
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
  return updated;
}

export async function customerRead(deps: ConversationDeps, conversationId: string, seq: number): Promise<void> {
  const raised = await q.raiseReadSeq(deps.db, conversationId, "customer", seq);
  if (raised !== null) await notify.customerRead(deps, conversationId, raised);
}

export function customerTyping(deps: ConversationDeps, conversationId: string, on: boolean) {
  return notify.customerTyping(deps, conversationId, on);
}

// --- the agents' side --------------------------------------------------------------------------

/**
 * Takes a waiting conversation. Atomic: the row lock makes concurrent claims queue up, so of two
 * agents the first wins and the second is told who has it. Claiming one's own is a no-op.
 */
export async function claim(deps: ConversationDeps, agent: AgentRef, conversationId: string): Promise<VerbResult> {
  return onLocked(deps, conversationId, async (tx, c, changes) => {
    refuseClosed(c);
    if (isOwned(c)) {
      if (c.assigneeId === agent.id) return c;
      const owner = (await q.agentName(tx, c.assigneeId!)) ?? "Another agent";
      throw new ConversationRefused("taken", `${owner} already took this conversation.`, owner);
    }
    return takeOver(tx, c, agent, changes);
  });
}

async function takeOver(tx: Db, c: Conversation, agent: AgentRef, changes: Changes): Promise<Conversation> {
  const now = new Date();
  const updated = await q.updateConversation(tx, c.id, { status: "assigned", assigneeId: agent.id });
  changes.queueChanged = c.status === "queued";
  await changes.record(tx, { conversationId: c.id, type: "claimed", actor: agentActor(agent), at: now, data: { from: c.status }, startedAt: queueWaitStart(c) });
  return updated;
}

/** Hands an open conversation to a colleague (or to oneself). */
export async function assign(deps: ConversationDeps, actor: AgentRef, conversationId: string, toAgentId: string): Promise<VerbResult> {
  refuseMalformed(conversationId);
  if (!isUuid(toAgentId)) throw new ConversationRefused("no_such_agent", "Choose an agent.");
  const target = await q.activeAgent(deps.db, toAgentId);
  if (!target) throw new ConversationRefused("no_such_agent", "That agent does not exist or has been deactivated.");
  return onLocked(deps, conversationId, async (tx, c, changes) => {
    refuseClosed(c);
    if (c.status === "assigned" && c.assigneeId === target.id) return c;
    const now = new Date();
    const updated = await q.updateConversation(tx, c.id, { status: "assigned", assigneeId: target.id });
    changes.queueChanged = c.status === "queued";
    await changes.record(tx, {
      conversationId: c.id,
      type: "assigned",
      actor: agentActor(actor),
      at: now,
      data: { from: c.assigneeId, to: target.id },
      startedAt: queueWaitStart(c),
      targetName: target.name,
    });
    return updated;
  });
}

/** Back to the queue; it keeps the place it had there, if it ever had one. */
export async function unassign(deps: ConversationDeps, actor: AgentRef, conversationId: string): Promise<VerbResult> {
  return onLocked(deps, conversationId, async (tx, c, changes) => {
    if (c.status !== "assigned") throw new ConversationRefused("not_assigned", "This conversation is not assigned to anyone.");
    const now = new Date();
    const updated = await q.updateConversation(tx, c.id, { status: "queued", assigneeId: null, queuedAt: c.queuedAt ?? now, queueEnteredAt: now });
    changes.queueChanged = true;
    await changes.record(tx, { conversationId: c.id, type: "unassigned", actor: agentActor(actor), at: now, data: { from: c.assigneeId } });
    return updated;
  });
}

/** Done. Closing a closed conversation changes nothing. */
export async function close(deps: ConversationDeps, actor: AgentRef, conversationId: string): Promise<VerbResult> {
  return onLocked(deps, conversationId, async (tx, c, changes) => {
    if (c.status === "closed") return c;
    const now = new Date();
    const updated = await q.updateConversation(tx, c.id, { status: "closed", closedAt: now });
    changes.queueChanged = c.status === "queued";
    await changes.record(tx, { conversationId: c.id, type: "closed", actor: agentActor(actor), at: now, data: { from: c.status }, startedAt: episodeStart(c) });
    return updated;
  });
}

/** An agent picks a closed conversation up again; it is theirs unless it still has an assignee. */
export async function reopen(deps: ConversationDeps, agent: AgentRef, conversationId: string): Promise<VerbResult> {
  return onLocked(deps, conversationId, async (tx, c, changes) => {
    if (c.status !== "closed") throw new ConversationRefused("not_closed", "This conversation is already open.");
    const keep = await assigneeStillActive(tx, c);
    const now = new Date();
    const updated = await q.updateConversation(tx, c.id, {
      status: "assigned",
      assigneeId: keep ? c.assigneeId : agent.id,
      episodeStartedAt: now,
      closedAt: null,
      lastActivityAt: now,
    });
    await changes.record(tx, { conversationId: c.id, type: "reopened", actor: agentActor(agent), at: now });
    return updated;
  });
}

/**
 * An agent's reply. Replying to a conversation nobody owns claims it (as in Intercom); replying
 * to a colleague's is allowed; a closed one must be reopened first. Retries are idempotent.
 */
export async function agentSends(deps: ConversationDeps, agent: AgentRef, conversationId: string, clientId: string, body: string) {
  refuseMalformed(conversationId);
  checkMessage({ clientId, body });
  const changes = new Changes();
  const result = await deps.db.transaction(async (tx) => {
    let c = await locked(tx, conversationId);
    const original = await originalOf(tx, c.id, clientId);
    if (original) return { message: { ...original, agentName: agent.name }, created: false };
    refuseClosed(c);
    if (!isOwned(c)) c = await takeOver(tx, c, agent, changes);
    const message = await appendToLocked(tx, { conversationId, clientId, sender: "agent", agentId: agent.id, body });
    changes.messages.push({ ...message, agentName: agent.name });
    return { message: { ...message, agentName: agent.name }, created: true };
  });
  if (!result.created) changes.messages.push(result.message);
  await changes.announce(deps, conversationId);
  return result;
}

/** The agent has seen the conversation up to `seq`: the customer gets "Seen". */
export async function markViewed(deps: ConversationDeps, conversationId: string, seq: number): Promise<void> {
  const raised = await q.raiseReadSeq(deps.db, conversationId, "agent", seq);
  if (raised !== null) notify.agentRead(deps, conversationId, raised);
}

export function agentTyping(deps: ConversationDeps, conversationId: string, on: boolean) {
  notify.agentTyping(deps, conversationId, on);
}

// --- reads -------------------------------------------------------------------------------------

export interface Page {
  rows: ListRow[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  next: string | null;
}

/** Longest search text; longer is refused (400), not cut. */
const SEARCH_MAX_LENGTH = 100;

/** What a page request asks for, checked: a cursor that is not ours, or a search too long, is refused. */
function pageRequest(cursor: string | null, limit: number, search: string | null) {
  const decoded = cursor ? decodeCursor(cursor) : null;
  if (cursor && !decoded) throw new ConversationRefused("not_found", "That page does not exist.");
  const text = search?.trim() || null;
  if (text && text.length > SEARCH_MAX_LENGTH) {
    throw new ConversationRefused("not_found", `Search for at most ${SEARCH_MAX_LENGTH} characters.`);
  }
  return { cursor: decoded, size: Math.max(1, Math.min(limit, MAX_PAGE_SIZE)), search: text };
}

/** A page from one row more than it shows: whether there is a next page. */
function pageFrom(rows: q.PageRow[], size: number): Page {
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return {
    rows: page.map(({ activityMicros: _, ...row }) => row),
    next: rows.length > size && last ? encodeCursor({ micros: last.activityMicros, id: last.id }) : null,
  };
}

/**
 * One page of a tab, newest activity first, optionally only rows whose contact name, email or
 * any message contains `search`; queued rows come with their last messages. One statement.
 * A cursor that is not ours, or a search too long, is refused.
 */
export async function listTab(db: Db, agentId: string, tab: Tab, cursor: string | null, limit = PAGE_SIZE, search: string | null = null): Promise<Page> {
  const r = pageRequest(cursor, limit, search);
  return pageFrom(await q.listSummaries(db, tab, agentId, r.cursor, r.size + 1, r.search), r.size);
}

/** The inbox page's list: a page of a tab (as listTab) with the tab counts (as tabCounts), in one statement. */
export async function inboxList(
  db: Db,
  agentId: string,
  tab: Tab,
  cursor: string | null,
  search: string | null = null,
  limit = PAGE_SIZE,
): Promise<Page & { counts: Record<Tab | "attention", number> }> {
  const r = pageRequest(cursor, limit, search);
  const { rows, counts } = await q.listSummariesAndCounts(db, tab, agentId, r.cursor, r.size + 1, r.search, COUNT_CAP);
  return { ...pageFrom(rows, r.size), counts };
}

/** Counts per tab for the tab bar (and how many need this agent's attention), in one statement, each capped. */
export async function tabCounts(db: Db, agentId: string, cap = COUNT_CAP): Promise<Record<Tab | "attention", number>> {
  return q.countTabs(db, agentId, cap);
}

export function summary(db: Db, conversationId: string): Promise<ConversationSummary | undefined> {
  return q.summaryOf(db, conversationId);
}

export function findConversation(db: Db, id: string) {
  return q.findConversation(db, id);
}

export function findByContact(db: Db, inboxId: string, contactId: string) {
  return q.findByContact(db, inboxId, contactId);
}

export function eventsOf(db: Db, conversationId: string) {
  return q.eventsOf(db, conversationId);
}

export interface PaneData {
  summary: ConversationSummary;
  messages: MessageWithAuthor[];
  events: EventView[];
  contact: q.ContactDetails;
  earlier: q.EarlierConversation[];
  ticket: q.PaneTicket | null;
}

/** Everything an open conversation shows, in one statement (see queries.paneOf). */
export async function conversationPane(db: Db, conversationId: string): Promise<PaneData | undefined> {
  const pane = await q.paneOf(db, conversationId, LATEST_LIMIT);
  if (!pane) return undefined;
  // Named as the verbs announce them.
  const events = pane.events.map(({ actorType, actorName, ...e }) => ({ ...e, actorName: actorLabel(actorType, actorName) }));
  return { summary: pane.summary, messages: pane.messages, events, contact: pane.contact, earlier: pane.earlier, ticket: pane.ticket };
}
