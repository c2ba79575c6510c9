import type { TicketRow } from "../../src/tickets/model.ts";
import type { HistoryEvent, TicketComment } from "../../src/tickets/model.ts";
import { CommentItem } from "./ticket-comments.tsx";
import { TicketFacts } from "./ticket-facts.tsx";
import { HistoryItem } from "./ticket-history.tsx";

/**
 * What a change of a ticket does to its page, out of band: the facts replaced, the new history
 * rows and comment appended (by id, so public/tickets.js drops a copy that arrives twice: once as
 * the answer to one's own post, once pushed). Rendered once, sent to every agent.
 */
export function TicketLive(props: { ticket: TicketRow; history: HistoryEvent[]; comments: TicketComment[] }) {
  const id = props.ticket.id;
  return (
    <>
      <TicketFacts ticket={props.ticket} oob />
      {props.history.length ? (
        <ol id={`ticket-history-${id}`} hx-swap-oob="beforeend">
          {props.history.map((event) => (
            <HistoryItem event={event} />
          ))}
        </ol>
      ) : (
        ""
      )}
      {props.comments.length ? (
        <ol id={`ticket-comments-${id}`} hx-swap-oob="beforeend">
          {props.comments.map((comment) => (
            <CommentItem comment={comment} />
          ))}
        </ol>
      ) : (
        ""
      )}
    </>
  );
}
