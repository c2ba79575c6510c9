// What happens after a ticket changes, called explicitly by the service once the transaction has
// committed: render each partial once and publish the same bytes to every page that shows it
// (ARCHITECTURE §5): the row to the tickets lists, the live parts to the ticket's page.
// Nothing here writes to the database, and nothing here may undo a committed change: a failure is
// logged, and pages catch up when they load (or reconnect).
import type { Db } from "../db/database.ts";
import { errorMessage, type Logger } from "../log/logger.ts";
import type { Bus } from "../realtime/bus.ts";
import { topics } from "../realtime/topics.ts";
import { PaneTicketBlock } from "../../views/tickets/pane-ticket.tsx";
import { TicketLive } from "../../views/tickets/ticket-live.tsx";
import { listPush } from "../../views/components/list-push.ts";
import { TicketRow } from "../../views/tickets/ticket-row.tsx";
import * as q from "./page-queries.ts";

export interface NotifyDeps {
  db: Db;
  bus: Bus;
  log: Logger;
}

/**
 * The ticket's list row (to every tickets list, with the word that the list is stale), its page's
 * live parts (facts, and the history or comments when they grew) and, when `paneChanged`, its
 * block in the conversation's pane (to the agents viewing that conversation). The row goes in a
 * frame of its own: a `<tr>` cannot share a fragment with the page's `<div>`s. Returns the page's
 * live parts (a post answers with the same bytes), or null when nothing could be pushed.
 */
export async function ticketChanged(
  deps: NotifyDeps,
  ticketId: string,
  what: { eventIds: string[]; commentId: string | null; paneChanged: boolean },
): Promise<string | null> {
  try {
    const parts = await q.liveParts(deps.db, ticketId, { history: what.eventIds.length > 0, comments: what.commentId !== null });
    if (!parts) return null;
    const t = parts.row;
    // The row swaps in place where it is shown; every tickets list then asks for itself again,
    // since only the server knows whether the ticket now enters, leaves or moves in it.
    deps.bus.publish(topics.tickets(), listPush("tickets", await (<TicketRow ticket={t} oob />)));
    const live = await (<TicketLive ticket={t} history={parts.history} comments={parts.comments} />);
    deps.bus.publish(topics.ticket(ticketId), live);
    if (what.paneChanged && t.conversationId) {
      const block = <PaneTicketBlock conversationId={t.conversationId} ticket={{ id: t.id, number: t.number, title: t.title, status: t.status, priority: t.priority }} oob />;
      deps.bus.publish(topics.conversationAgents(t.conversationId), await block);
    }
    return live;
  } catch (err) {
    deps.log.warn("ticket push failed", { ticket: ticketId, error: errorMessage(err) });
    return null;
  }
}
