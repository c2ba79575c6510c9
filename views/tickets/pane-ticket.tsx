import type { PaneTicket } from "../../src/conversations/model.ts";
import { STATUS_LABEL, ticketName } from "./labels.ts";

/**
 * The conversation's ticket in its pane: "Ticket #12: subject — Open" linking to it while one is
 * not closed; otherwise "Create ticket" (and the last closed one). Pushed out of band to the
 * agents viewing the conversation when its ticket is made, closed or opened again.
 */
export function PaneTicketBlock(props: { conversationId: string; ticket: PaneTicket | null; oob?: boolean }) {
  const t = props.ticket;
  return (
    <div id={`pane-ticket-${props.conversationId}`} class="conversation-ticket" hx-swap-oob={props.oob ? "true" : undefined}>
      {t && t.status !== "closed" ? (
        <a class="conversation-ticket-link" href={`/tickets/${t.number}`} data-status={t.status} safe>
          {`Ticket ${ticketName(t.number)}: ${t.title} — ${STATUS_LABEL[t.status]}`}
        </a>
      ) : (
        <>
          <a class="button conversation-ticket-create" href={`/tickets/new?conversation=${props.conversationId}`}>
            Create ticket
          </a>
          {t ? (
            <a class="conversation-ticket-last" href={`/tickets/${t.number}`} safe>
              {`Last ticket: ${ticketName(t.number)} (closed)`}
            </a>
          ) : (
            ""
          )}
        </>
      )}
    </div>
  );
}
