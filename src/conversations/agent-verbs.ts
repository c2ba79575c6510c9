// The agents' verbs on a conversation (ARCHITECTURE §3): claim, assign, unassign, close, reopen,
// reply, and what they have seen. Each runs in one transaction that locks the conversation row,
// appends what changed to conversation_events, and only after the commit tells everyone.
import type { Db } from "../db/database.ts";
import { scheduleReplyEmail } from "../mail/reply-email-schedule.ts";
import { scheduleQueueAlert } from "../mail/queue-alert-schedule.ts";
import { appendToLocked, checkMessage, originalOf, type FileClaim } from "../messages/service.ts";
import { Changes, type ConversationDeps } from "./changes.ts";
import {
  agentActor,
  assigneeStillActive,
  episodeStart,
  isOwned,
  locked,
  queueWaitStart,
  refuseClosed,
  refuseMalformed,
  type AgentRef,
} from "./locked.ts";
import { ConversationRefused, isUuid, type Conversation, type ConversationSummary } from "./model.ts";
import { messagePaths } from "./message-paths.ts";
import * as notify from "./notify.tsx";
import * as q from "./queries.ts";

/**
 * The conversation after an agent verb, with the summary read to announce the change (absent
 * when nothing changed), so that the caller need not read it again.
 */
export type VerbResult = Conversation & { summary?: ConversationSummary };

/**
 * The shape of every agent verb on one conversation: lock it, let `change` decide and record,
 * commit, then tell everyone what changed.
 */
export async function onLocked(
  deps: ConversationDeps,
  conversationId: string,
  change: (tx: Db, c: Conversation, changes: Changes) => Promise<Conversation>,
): Promise<VerbResult> {
  refuseMalformed(conversationId);
  const changes = new Changes();
  const conversation = await deps.db.transaction(async (tx) => change(tx, await locked(tx, conversationId), changes));
  // The customer's next message goes the way this state takes (message-paths.ts).
  messagePaths(deps.db).seen(conversation);
  const summary = await changes.announce(deps, conversation.id);
  return summary ? { ...conversation, summary } : conversation;
}

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
  const target = await assignable(deps.db, toAgentId);
  return onLocked(deps, conversationId, async (tx, c, changes) => {
    refuseClosed(c);
    if (c.status === "assigned" && c.assigneeId === target.id) return c;
    return giveTo(tx, c, actor, target, changes);
  });
}

/** An agent a conversation may be given to: one that exists and is active. */
async function assignable(db: Db, agentId: string | null | undefined): Promise<AgentRef> {
  if (!isUuid(agentId ?? undefined)) throw new ConversationRefused("no_such_agent", "Choose an agent.");
  const target = await q.activeAgent(db, agentId!);
  if (!target) throw new ConversationRefused("no_such_agent", "That agent does not exist or has been deactivated.");
  return target;
}

async function giveTo(tx: Db, c: Conversation, actor: AgentRef, target: AgentRef, changes: Changes, undo = false): Promise<Conversation> {
  const now = new Date();
  const updated = await q.updateConversation(tx, c.id, { status: "assigned", assigneeId: target.id });
  changes.queueChanged = c.status === "queued";
  await changes.record(tx, {
    conversationId: c.id,
    type: "assigned",
    actor: agentActor(actor),
    at: now,
    data: undo ? { from: c.assigneeId, to: target.id, undo: true } : { from: c.assigneeId, to: target.id },
    startedAt: queueWaitStart(c),
    targetName: target.name,
  });
  return updated;
}

/** What undoing an unassignment needs: the unassignment's event, and whom it took the conversation from. */
export interface UnassignUndo {
  eventId: string;
  fromName: string | null;
}

/** Back to the queue; it keeps the place it had there, if it ever had one. Returns what its undo needs. */
export async function unassign(deps: ConversationDeps, actor: AgentRef, conversationId: string): Promise<VerbResult & { undo?: UnassignUndo }> {
  let undo: UnassignUndo | undefined;
  const result = await onLocked(deps, conversationId, async (tx, c, changes) => {
    if (c.status !== "assigned") throw new ConversationRefused("not_assigned", "This conversation is not assigned to anyone.");
    const now = new Date();
    const updated = await q.updateConversation(tx, c.id, { status: "queued", assigneeId: null, queuedAt: c.queuedAt ?? now, queueEnteredAt: now });
    changes.queueChanged = true;
    const event = await changes.record(tx, { conversationId: c.id, type: "unassigned", actor: agentActor(actor), at: now, data: { from: c.assigneeId } });
    await scheduleQueueAlert(tx, c.id, now);
    undo = { eventId: event.id, fromName: c.assigneeId ? await q.agentName(tx, c.assigneeId) : null };
    return updated;
  });
  return { ...result, undo };
}

/**
 * Gives the conversation back to whom `unassignedEventId` took it from, by the rules of assigning
 * (an active agent, an open conversation). Only while nothing has changed who has it since: still
 * waiting, with that unassignment the last such change; otherwise refused and nothing changes.
 */
export async function undoUnassign(deps: ConversationDeps, actor: AgentRef, conversationId: string, unassignedEventId: string): Promise<VerbResult> {
  const changed = () => new ConversationRefused("changed", "This conversation changed after it was unassigned, so it was not given back. Assign it if you still want to.");
  refuseMalformed(conversationId);
  if (!isUuid(unassignedEventId)) throw changed();
  return onLocked(deps, conversationId, async (tx, c, changes) => {
    const last = await q.latestOwnershipEvent(tx, c.id);
    if (last?.id !== unassignedEventId || last.type !== "unassigned" || c.status !== "queued" || c.assigneeId !== null) throw changed();
    const target = await assignable(tx, (last.data as { from?: string | null }).from);
    return giveTo(tx, c, actor, target, changes, true);
  });
}

/** Done. Closing a closed conversation changes nothing. */
export async function close(deps: ConversationDeps, actor: AgentRef, conversationId: string): Promise<VerbResult> {
  return onLocked(deps, conversationId, async (tx, c, changes) => {
    if (c.status === "closed") return c;
    const now = new Date();
    // Closing (and reopening) clears a snooze: its wake job then finds nothing to do. Closing ends
    // the episode's "Offline: reply by email" too: a later episode starts live.
    const updated = await q.updateConversation(tx, c.id, { status: "closed", closedAt: now, snoozedUntil: null, offline: false });
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
      snoozedUntil: null,
    });
    await changes.record(tx, { conversationId: c.id, type: "reopened", actor: agentActor(agent), at: now });
    return updated;
  });
}

/**
 * An agent's reply. Replying to a conversation nobody owns claims it (as in Intercom); replying
 * to a colleague's is allowed; a closed one must be reopened first. Retries are idempotent.
 */
export async function agentSends(deps: ConversationDeps, agent: AgentRef, conversationId: string, clientId: string, body: string, files?: FileClaim) {
  refuseMalformed(conversationId);
  checkMessage({ clientId, body, files });
  const changes = new Changes();
  let c: Conversation | undefined;
  const result = await deps.db.transaction(async (tx) => {
    c = await locked(tx, conversationId);
    const original = await originalOf(tx, c.id, clientId);
    if (original) return { message: { ...original, agentName: agent.name }, created: false };
    refuseClosed(c);
    if (!isOwned(c)) c = await takeOver(tx, c, agent, changes);
    const message = await appendToLocked(tx, { conversationId, clientId, sender: "agent", agentId: agent.id, body, files });
    // Answered in the chat: the conversation is live again, no longer "Offline: reply by email".
    if (c.offline) c = await q.updateConversation(tx, c.id, { offline: false });
    await scheduleReplyEmail(tx, deps.replyEmails, c, message.seq);
    changes.messages.push({ ...message, agentName: agent.name });
    return { message: { ...message, agentName: agent.name }, created: true };
  });
  if (c) messagePaths(deps.db).seen(c);
  if (!result.created) changes.republish(result.message);
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
