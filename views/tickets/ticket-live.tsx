import type { TicketRow } from "../../src/tickets/model.ts";
import type { HistoryEvent, TicketComment } from "../../src/tickets/model.ts";
import { CommentItem } from "./ticket-comments.tsx";
import { TicketFacts } from "./ticket-facts.tsx";
import { HistoryItem } from "./ticket-history.tsx";

/**
 * What a change of a ticket does to its page, out of band: the facts replaced, and the history
 * and comments (when given: they grew) morphed into the whole list, so that the items already
 * there stay (a live region reads out only the new ones) and a change that arrives twice (the
 * answer to one's own post, then the push) shows once. Rendered once, sent to every agent.
 */
export function TicketLive(props: { ticket: TicketRow; history: HistoryEvent[] | null; comments: TicketComment[] | null }) {
  const id = props.ticket.id;
  return (
    <>
      <TicketFacts ticket={props.ticket} oob />
      {props.history ? (
        <ol id={`ticket-history-${id}`} hx-swap-oob="innerMorph">
          {props.history.map((event) => (
            <HistoryItem event={event} />
          ))}
        </ol>
      ) : (
        ""
      )}
      {props.comments ? (
        <ol id={`ticket-comments-${id}`} hx-swap-oob="innerMorph">
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
