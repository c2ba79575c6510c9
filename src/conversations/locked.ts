// The conversation row as the verbs find it: locked for the transaction, refused when it does
// not exist, and the rules about its state that both the customer's and the agents' verbs apply.
import type { Db } from "../db/database.ts";
import { ConversationRefused, isUuid, type Actor, type Conversation } from "./model.ts";
import * as q from "./queries.ts";

export interface AgentRef {
  id: string;
  name: string;
}

export const agentActor = (agent: AgentRef): Actor => ({ type: "agent", id: agent.id, name: agent.name });

const notFound = () => new ConversationRefused("not_found", "This conversation does not exist.");

/** Refuses, before anything else is checked, an id that cannot be a conversation's (from a URL). */
export function refuseMalformed(id: string) {
  if (!isUuid(id)) throw notFound();
}

/** The conversation, locked until the transaction ends; an unknown or malformed id is refused. */
export async function locked(tx: Db, id: string): Promise<Conversation> {
  refuseMalformed(id);
  const conversation = await q.lockConversation(tx, id);
  if (!conversation) throw notFound();
  return conversation;
}

export function refuseClosed(conversation: Conversation) {
  if (conversation.status === "closed") {
    throw new ConversationRefused("closed", "This conversation is closed. Reopen it first.");
  }
}

/** Whether the agent it was last with can have it back (their account still active). */
export async function assigneeStillActive(tx: Db, c: Conversation): Promise<boolean> {
  return c.assigneeId !== null && (await q.activeAgent(tx, c.assigneeId)) !== undefined;
}

/** assigned with nobody (the assignee's account was removed) counts as waiting for someone. */
export const isOwned = (c: Conversation) => c.status === "assigned" && c.assigneeId !== null;

// The starts of the intervals analytics measures are kept on the conversation as it moves and
// stamped on the event that ends each interval (conversation_events.started_at), so that reading
// them is one range scan. The fallbacks cover a row last moved by a version that did not keep
// them (an instance not yet upgraded); migration 0007 filled them in for everything before.

/** When the conversation entered the queue, if it is in it: a claim or assignment now ends that wait. */
export const queueWaitStart = (c: Conversation) => (c.status === "queued" ? (c.queueEnteredAt ?? c.queuedAt) : null);

/** When the episode that a close now ends began: creation, or the latest reopen. */
export const episodeStart = (c: Conversation) => c.episodeStartedAt ?? c.createdAt;
