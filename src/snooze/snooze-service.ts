// Snooze (issue 17): an agent puts an open conversation away until a time. It leaves the open
// tabs for the Snoozed one (list-queries.ts) and wakes when that time comes (a durable job written
// in the snooze's own transaction, ARCHITECTURE §9), when the customer writes (customer-verbs.ts,
// wakeForCustomer), or when an agent wakes it; closing or reopening clears it (agent-verbs.ts).
import type { Db } from "../db/database.ts";
import type { RunningJob } from "../jobs/handlers.ts";
import { schedule } from "../jobs/schedule.ts";
import { topics } from "../realtime/topics.ts";
import { Changes, type ConversationDeps } from "../conversations/changes.ts";
import { onLocked, type VerbResult } from "../conversations/agent-verbs.ts";
import { notificationFrame } from "../conversations/agent-notifications.ts";
import { agentActor, locked, refuseClosed, type AgentRef } from "../conversations/locked.ts";
import type { Conversation } from "../conversations/model.ts";
import * as q from "../conversations/queries.ts";
import { contactLabel } from "../../views/conversations/conversation-row.tsx";

export const WAKE_JOB = "conversation.wake";

/** The wake job's payload: the snooze it ends (a later snooze, or none, makes it a no-op). */
export interface WakePayload {
  conversationId: string;
  until: string;
}

/** Snoozes an open conversation until `until`; snoozing again moves the time (the earlier job then does nothing). */
export function snooze(deps: ConversationDeps, agent: AgentRef, conversationId: string, until: Date): Promise<VerbResult> {
  return onLocked(deps, conversationId, async (tx, c, changes) => {
    refuseClosed(c);
    if (c.snoozedUntil?.getTime() === until.getTime()) return c;
    const iso = until.toISOString();
    const updated = await q.updateConversation(tx, c.id, { snoozedUntil: until });
    await changes.record(tx, { conversationId: c.id, type: "snoozed", actor: agentActor(agent), at: new Date(), data: { until: iso } });
    const payload: WakePayload = { conversationId: c.id, until: iso };
    await schedule(tx, WAKE_JOB, payload, { runAt: until, idempotencyKey: `${WAKE_JOB}:${c.id}:${iso}` });
    return updated;
  });
}

/** An agent wakes it before its time. Not snoozed: nothing changes. */
export function unsnooze(deps: ConversationDeps, agent: AgentRef, conversationId: string): Promise<VerbResult> {
  return onLocked(deps, conversationId, async (tx, c, changes) => {
    if (!c.snoozedUntil) return c;
    const updated = await q.updateConversation(tx, c.id, { snoozedUntil: null });
    await changes.record(tx, { conversationId: c.id, type: "unsnoozed", actor: agentActor(agent), at: new Date() });
    return updated;
  });
}

/**
 * Inside the customer's message transaction, on their locked conversation: a snoozed one wakes
 * (it is back in the open tabs, and its agent hears of the message as of any other).
 */
export async function wakeForCustomer(tx: Db, c: Conversation, changes: Changes): Promise<Conversation> {
  if (!c.snoozedUntil || c.status === "closed") return c;
  const updated = await q.updateConversation(tx, c.id, { snoozedUntil: null });
  await changes.record(tx, { conversationId: c.id, type: "unsnoozed", actor: { type: "customer" }, at: new Date() });
  return updated;
}

/**
 * The wake job: the conversation comes back if it is still snoozed until exactly this job's time
 * (woken, closed or snoozed again since: nothing to do). Its agent is notified as of a customer's message.
 */
export function wakeJob(deps: ConversationDeps) {
  return async (job: RunningJob<WakePayload>): Promise<void> => {
    const { conversationId, until } = job.payload;
    const changes = new Changes();
    const woken = await deps.db.transaction(async (tx) => {
      const c = await locked(tx, conversationId).catch(() => undefined);
      if (!c || c.status === "closed" || c.snoozedUntil?.toISOString() !== until) return undefined;
      const updated = await q.updateConversation(tx, c.id, { snoozedUntil: null });
      await changes.record(tx, { conversationId: c.id, type: "unsnoozed", actor: { type: "system" }, at: new Date(), data: { until } });
      return updated;
    });
    if (!woken) return;
    const summary = await changes.announce(deps, conversationId);
    if (summary?.assigneeId) {
      const title = `Back from snooze: ${contactLabel(summary)}`;
      deps.bus.publish(topics.agent(summary.assigneeId), notificationFrame({ title, body: summary.lastMessageBody ?? "", conversation: conversationId }));
    }
  };
}
