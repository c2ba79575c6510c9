import type { TicketPriority, TicketStatus } from "../../src/tickets/model.ts";
import { PRIORITY_LABEL, STATUS_LABEL } from "./labels.ts";

/** A ticket's status as a coloured label (colour is never the only cue: the word is there). */
export function StatusBadge(props: { status: TicketStatus }) {
  return (
    <span class="ticket-status" data-status={props.status} safe>
      {STATUS_LABEL[props.status]}
    </span>
  );
}

export function PriorityBadge(props: { priority: TicketPriority }) {
  return (
    <span class="ticket-priority" data-priority={props.priority} safe>
      {PRIORITY_LABEL[props.priority]}
    </span>
  );
}
