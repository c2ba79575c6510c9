// Sounds and desktop notifications for agents, decided here: a conversation that enters the queue
// (every inbox page hears it), and a customer's message in a conversation assigned to an agent
// (that agent alone, on whichever page). Each is a data-only JSON frame (no `content`, so htmx
// swaps nothing); public/inbox.js plays the sound and shows the notification, nothing more.
import type { Bus } from "../realtime/bus.ts";
import { topics } from "../realtime/topics.ts";
import { contactLabel } from "../../views/conversations/conversation-row.tsx";
import type { ConversationSummary } from "./model.ts";

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
 * Customers wrote in these conversations (new messages, not retries) since their rows were last
 * pushed: each one's agent hears it with the row push, from the summary that push read anyway (no
 * query of its own on the message path). One notification per agent per push: a burst is one, with
 * the latest text, and several conversations at once are one "New messages in N conversations".
 * Not when the agent has answered since (the last message is then theirs).
 */
export function customersWrote(bus: Bus, summaries: ConversationSummary[], wrote: ReadonlySet<string>): void {
  for (const [agentId, [first, ...more]] of customerMessagesByAgent(summaries, wrote)) {
    const n = more.length
      ? { title: `New messages in ${more.length + 1} conversations`, body: [first!, ...more].map(contactLabel).join(", "), conversation: first!.id }
      : { title: `New message from ${contactLabel(first!)}`, body: first!.lastMessageBody ?? "", conversation: first!.id };
    bus.publish(topics.agent(agentId), notificationFrame(n));
  }
}

/**
 * Of these summaries, the conversations a customer wrote in (`wrote`) whose last word is the
 * customer's, grouped by the agent they are assigned to: whom a customer's message concerns.
 * The live notification above and the email alert (src/mail/agent-message-alerts.ts) both ask.
 */
export function customerMessagesByAgent(summaries: ConversationSummary[], wrote: ReadonlySet<string>): Map<string, ConversationSummary[]> {
  const byAgent = new Map<string, ConversationSummary[]>();
  for (const s of summaries) {
    if (!wrote.has(s.id) || s.status !== "assigned" || !s.assigneeId || s.lastMessageSender !== "customer") continue;
    const theirs = byAgent.get(s.assigneeId);
    if (theirs) theirs.push(s);
    else byAgent.set(s.assigneeId, [s]);
  }
  return byAgent;
}
