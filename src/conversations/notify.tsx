// What happens after a conversation changes, called explicitly by the service once the
// transaction has committed: render each partial once and publish the same bytes to every
// subscriber (ARCHITECTURE §5). Nothing here writes to the database.
import type { Db } from "../db/database.ts";
import type { MessageWithAuthor } from "../messages/model.ts";
import { messagePushes, type WidgetFileLinks } from "../messages/message-pushes.tsx";
import type { Bus } from "../realtime/bus.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { topics } from "../realtime/topics.ts";
import { widgetFrames } from "../widget/frames.ts";
import { listPush } from "../../views/components/list-push.ts";
import { customersWrote, queueMaybeEntered } from "./agent-notifications.ts";
import { ConversationRow } from "../../views/conversations/conversation-row.tsx";
import { ConversationStatus } from "../../views/conversations/conversation-status.tsx";
import { EventsPush, type EventView } from "../../views/conversations/conversation-event.tsx";
import { SeenReceipt, TypingPush } from "../../views/conversations/activity-push.tsx";
import type { ConversationSummary } from "./model.ts";
import type { RowPublisher } from "./row-publisher.ts";
import type { QueuePlaces } from "./queue-places.ts";
import * as q from "./list-queries.ts";
import { rowTopics } from "./list-topics.ts";

export interface NotifyDeps {
  db: Db;
  bus: Bus;
  /** Coalesces list-row pushes; without it (tests) every change pushes its row at once. */
  rows?: RowPublisher;
  /** Coalesces telling the queue their places; without it (tests) every change tells them at once. */
  queuePlaces?: QueuePlaces;
  /** Counts stored messages and times their commit-to-publish. */
  metrics?: Pick<Metrics, "messageStored" | "messagePublished">;
  /** Signs the links of a message's files for the customer's frame (src/files/links.ts). */
  fileLinks?: WidgetFileLinks;
}

/**
 * `wrote`: the conversations among `ids` a customer wrote in since their last push (their agents
 * are told). `inPlace`: those whose change left them in the lists they were in (no status or
 * assignee change); their rows go only to the pages whose list shows them, and a bare "stale" to
 * the pages whose counts may change (list-topics.ts). The others go to every inbox page: they may
 * have left a list, and which one the push does not know. Returns the summaries it read and pushed.
 */
async function pushRows(
  deps: { db: Db; bus: Bus },
  ids: string[],
  wrote: ReadonlySet<string> = new Set(),
  inPlace: ReadonlySet<string> = new Set(),
): Promise<ConversationSummary[]> {
  const rows = await q.summariesOf(deps.db, ids);
  if (!rows.length) return rows;
  // Each row replaces its row where one is shown, and the list then asks for itself again
  // (listPush's `stale`): a row may have to appear, leave or move. Each row is rendered once.
  const moved: string[] = [];
  const byTopic = new Map<string, string[]>();
  /** Without `html`: the topic still gets its push, a bare "stale" (its counts may change). */
  const add = (topic: string, html?: string) => {
    let list = byTopic.get(topic);
    if (!list) byTopic.set(topic, (list = []));
    if (html) list.push(html);
  };
  for (const summary of rows) {
    const html = await (<ConversationRow summary={summary} oob />);
    if (!inPlace.has(summary.id)) {
      moved.push(html);
      continue;
    }
    const to = rowTopics(summary);
    for (const topic of to.rows) add(topic, html);
    for (const topic of to.stale) add(topic);
  }
  if (moved.length) deps.bus.publish(topics.inbox(), listPush("inbox", moved.join("")));
  for (const [topic, html] of byTopic) deps.bus.publish(topic, listPush("inbox", html.join("")));
  customersWrote(deps.bus, rows, wrote);
  return rows;
}

/**
 * The conversation's list row changed: once per change, however many messages and events it made.
 * `customerWrote`: the change is a customer's new message (its agent is notified with the row).
 * `inPlace`: the change left its status and assignee as they were (a message, the contact's
 * email): its row goes only where it is shown (pushRows). Without it, to every inbox page.
 */
export function rowChanged(deps: NotifyDeps, conversationId: string, options: { customerWrote?: boolean; inPlace?: boolean } = {}): Promise<void> {
  if (deps.rows) {
    deps.rows.request(conversationId, options.customerWrote, options.inPlace);
    return Promise.resolve();
  }
  const only = new Set([conversationId]);
  return pushRows(deps, [conversationId], options.customerWrote ? only : new Set(), options.inPlace ? only : new Set()).then(() => {});
}

/** Queued customers told their place after each queue change; beyond this they learn it on their next visit. */
const QUEUE_NOTIFY_LIMIT = 200;

/**
 * New messages: to the customer (JSON) and to agents viewing it (HTML). `committedAt`
 * (performance.now() at the commit) when they were just stored; absent for a retry's original.
 */
export async function messagesPosted(deps: NotifyDeps, conversationId: string, messages: MessageWithAuthor[], committedAt?: number) {
  for (const message of messages) {
    const mark = { conversationId, seq: message.seq };
    for (const [topic, data] of await messagePushes(conversationId, message, deps.fileLinks)) deps.bus.publish(topic, data, mark);
    if (committedAt === undefined || !deps.metrics) continue;
    deps.metrics.messageStored(message.sender);
    deps.metrics.messagePublished(committedAt);
  }
}

/**
 * The conversation changed state: the customer gets a status frame, agents the header and the
 * events inline (one frame); when the queue changed, every waiting customer their new place; when
 * the conversation has just entered the queue, inbox pages a notification.
 * Returns the summary it read, so that the caller need not read it again.
 */
export async function statusChanged(
  deps: NotifyDeps,
  conversationId: string,
  events: EventView[],
  options: { queueChanged: boolean; newForContact?: string },
): Promise<ConversationSummary | undefined> {
  const summary = await q.summaryOf(deps.db, conversationId);
  if (!summary) return undefined;
  const frame = widgetFrames.status({
    status: summary.status,
    queuePosition: summary.queuePosition,
    agent: summary.assigneeName ? { name: summary.assigneeName } : null,
  });
  deps.bus.publish(topics.conversation(conversationId), frame);
  if (options.newForContact) {
    // The visitor's other tabs subscribed before this conversation existed; this tells them to resume.
    deps.bus.publish(
      topics.visitor(options.newForContact),
      widgetFrames.status({ status: summary.status, queuePosition: summary.queuePosition, conversation: conversationId }),
    );
  }
  deps.bus.publish(
    topics.conversationAgents(conversationId),
    await (
      <>
        <ConversationStatus summary={summary} oob />
        {events.length ? <EventsPush conversationId={conversationId} events={events} /> : ""}
      </>
    ),
  );
  if (options.queueChanged) {
    if (deps.queuePlaces) await deps.queuePlaces.moved(conversationId);
    else await tellQueuePlaces(deps, conversationId);
  }
  queueMaybeEntered(deps.bus, summary, events.map((e) => e.type));
  return summary;
}

/** Everyone still waiting hears their place (`except`, the one that changed, was told already). */
export async function tellQueuePlaces(deps: Pick<NotifyDeps, "db" | "bus">, except: string | null) {
  const queue = await q.queueOrder(deps.db, QUEUE_NOTIFY_LIMIT);
  queue.forEach((entry, index) => {
    if (entry.id === except) return;
    deps.bus.publish(topics.conversation(entry.id), widgetFrames.status({ status: "queued", queuePosition: index + 1 }));
  });
}

export async function customerTyping(deps: NotifyDeps, conversationId: string, on: boolean) {
  deps.bus.publish(topics.conversationAgents(conversationId), await (<TypingPush conversationId={conversationId} on={on} oob />));
}

export function agentTyping(deps: NotifyDeps, conversationId: string, on: boolean) {
  deps.bus.publish(topics.conversation(conversationId), widgetFrames.typing(on));
}

export async function customerRead(deps: NotifyDeps, conversationId: string, seq: number) {
  deps.bus.publish(topics.conversationAgents(conversationId), await (<SeenReceipt conversationId={conversationId} seq={seq} oob />));
}

export function agentRead(deps: NotifyDeps, conversationId: string, seq: number) {
  deps.bus.publish(topics.conversation(conversationId), widgetFrames.read(seq));
}

// RowPublisher (row-publisher.ts) coalesces the list-row pushes it makes.
export { pushRows };
