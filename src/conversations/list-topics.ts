// Which inbox pages hear of a list row's change. A page subscribes to the topics of the tab it
// shows (pageTopics); a row that changed without changing lists (a message, a contact's email) is
// published to the pages whose list shows it, and a bare "stale" to the pages whose counts may
// change with it (rowTopics). A row that may have changed lists goes to every inbox page
// (topics.inbox()), as every page's counts may change with it. The two functions must agree:
// list-topics.test.ts checks them against the tabs' filters (list-queries.ts) and needsAttention.
import { topics } from "../realtime/topics.ts";
import type { ConversationSummary, Tab } from "./model.ts";

/**
 * The topics an inbox page of `agentId` showing `tab` subscribes to besides topics.inbox(). Without
 * a tab (a page that did not say which, from before pages did) every row: as before issue 15.
 */
export function pageTopics(tab: Tab | null, agentId: string): string[] {
  switch (tab) {
    case null:
      return [topics.inboxTab("open"), topics.inboxTab("snoozed"), topics.inboxTab("closed")];
    case "mine":
      return [topics.inboxTab("mine"), topics.inboxMine(agentId)];
    case "open":
      // Every conversation of this agent's that counts (the Mine count, "needs attention") is open.
      return [topics.inboxTab("open")];
    case "queue":
    case "snoozed":
    case "closed":
      return [topics.inboxTab(tab), topics.inboxCounts(agentId)];
  }
}

/** Where one row goes: `rows`, the topics of the lists it is in; `stale`, of pages whose counts may change (it is in their "needs attention"). */
interface RowTopics {
  rows: string[];
  stale: string[];
}

/** For a row that stayed in its lists (its status and assignee as the push read them). */
export function rowTopics(row: Pick<ConversationSummary, "status" | "assigneeId"> & { snoozedUntil?: Date | null }): RowTopics {
  if (row.status === "closed") return { rows: [topics.inboxTab("closed")], stale: [] };
  // Snoozed: only in its own tab, and in no one's "needs attention".
  if (row.snoozedUntil) return { rows: [topics.inboxTab("snoozed")], stale: [] };
  if (row.status === "bot") return { rows: [topics.inboxTab("open")], stale: [] };
  const rows = [topics.inboxTab("open")];
  if (row.status === "queued") rows.push(topics.inboxTab("queue"));
  // Queued or assigned: it counts in "needs attention" of its agent, or of everyone when it has none.
  if (row.assigneeId) return { rows: [...rows, topics.inboxMine(row.assigneeId)], stale: [topics.inboxCounts(row.assigneeId)] };
  const stale = [topics.inboxTab("mine"), topics.inboxTab("snoozed"), topics.inboxTab("closed")];
  if (row.status !== "queued") stale.push(topics.inboxTab("queue"));
  return { rows, stale };
}
