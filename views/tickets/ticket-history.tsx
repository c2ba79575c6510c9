import type { HistoryEvent } from "../../src/tickets/model.ts";
import { DateTime } from "../components/clock.tsx";
import { PRIORITY_LABEL, STATUS_LABEL } from "./labels.ts";

const FORMER = "A former agent";

function label(map: Record<string, string>, value: string | null): string {
  return value === null ? "none" : (map[value] ?? value);
}

/** One change as a sentence: who changed what from what to what. */
export function describeEvent(e: HistoryEvent): string {
  const who = e.actorName ?? FORMER;
  switch (e.type) {
    case "created":
      return e.to ? `${who} created the ticket as ${label(STATUS_LABEL, e.to)}` : `${who} created the ticket`;
    case "status":
      return `${who} changed the status from ${label(STATUS_LABEL, e.from)} to ${label(STATUS_LABEL, e.to)}`;
    case "priority":
      return `${who} changed the priority from ${label(PRIORITY_LABEL, e.from)} to ${label(PRIORITY_LABEL, e.to)}`;
    case "assignee":
      if (!e.to) return `${who} unassigned ${e.fromName ?? FORMER.toLowerCase()}`;
      if (!e.from) return `${who} assigned it to ${e.toName ?? FORMER.toLowerCase()}`;
      return `${who} reassigned it from ${e.fromName ?? FORMER.toLowerCase()} to ${e.toName ?? FORMER.toLowerCase()}`;
  }
}

export function HistoryItem(props: { event: HistoryEvent }) {
  const e = props.event;
  return (
    <li id={`ticket-event-${e.id}`} class="ticket-event" data-type={e.type}>
      <span class="ticket-event-text" safe>
        {describeEvent(e)}
      </span>{" "}
      <DateTime class="ticket-event-time" at={e.createdAt} relative zone />
    </li>
  );
}

/** The ticket's history, oldest first; changes pushed live are appended (a polite live region). */
export function TicketHistory(props: { ticketId: string; events: HistoryEvent[] }) {
  return (
    <section class="ticket-section" aria-labelledby={`ticket-history-title-${props.ticketId}`}>
      <h2 id={`ticket-history-title-${props.ticketId}`}>History</h2>
      <ol id={`ticket-history-${props.ticketId}`} class="ticket-history" aria-live="polite">
        {props.events.map((event) => (
          <HistoryItem event={event} />
        ))}
      </ol>
    </section>
  );
}
