// Sounds and desktop notifications for agents, decided here: a conversation that enters the queue
// (every inbox page hears it), and a customer's message in a conversation assigned to an agent
// (that agent alone, on whichever page). Each is a data-only JSON frame (no `content`, so htmx
// swaps nothing); public/inbox.js plays the sound and shows the notification, nothing more.
import type { Bus } from "../realtime/bus.ts";
import { topics } from "../realtime/topics.ts";
import type { Db } from "../db/database.ts";
import { contactLabel } from "../../views/conversations/conversation-row.tsx";
import type { ConversationRef, ConversationSummary } from "./model.ts";
import { contactOf } from "./list-queries.ts";

export interface AgentNotification {
  title: string;
  body: string;
  /** The conversation it is about: a click on the notification opens it. */
  conversation: string;
}

/** A notification shows the start of a message, as the list's preview does. */
const BODY_CHARS = 140;

/** The one frame of every agent notification. */
export function notificationFrame(n: AgentNotification): string {
  return JSON.stringify({ notify: { title: n.title, body: n.body.slice(0, BODY_CHARS), conversation: n.conversation } });
}

/** Events that leave a conversation in the queue only when it was not there before. */
const ENTERS_QUEUE = new Set(["queued", "reopened", "unassigned"]);

/** After a change that recorded `eventTypes` and left the conversation in `summary.status`: everyone on the inbox hears that it waits. */
export function queueMaybeEntered(bus: Bus, summary: ConversationSummary, eventTypes: string[]): void {
  if (summary.status !== "queued" || !eventTypes.some((type) => ENTERS_QUEUE.has(type))) return;
  bus.publish(topics.inbox(), notificationFrame({ title: "New conversation waiting", body: contactLabel(summary), conversation: summary.id }));
}

/**
 * A customer's new message (not a retry's original): the conversation's agent hears it, if it
 * has one. Costs one lookup of the contact's name, only then.
 */
export async function customerWrote(deps: { db: Db; bus: Bus }, conversation: ConversationRef, contactId: string, text: string): Promise<void> {
  if (conversation.status !== "assigned" || !conversation.assigneeId) return;
  const contact = await contactOf(deps.db, contactId);
  const title = `New message from ${contact ? contactLabel(contact) : "Visitor"}`;
  deps.bus.publish(topics.agent(conversation.assigneeId), notificationFrame({ title, body: text, conversation: conversation.id }));
}
