import { ticketName } from "./labels.ts";

/** A refusal that points somewhere: "This conversation already has ticket #12…" with a link to #12. */
export function TicketConflict(props: { message: string; existing?: { number: number } | undefined }) {
  return (
    <p class="alert" role="alert">
      <span safe>{props.message}</span>{" "}
      {props.existing ? <a href={`/tickets/${props.existing.number}`} safe>{`Open ticket ${ticketName(props.existing.number)}`}</a> : ""}
    </p>
  );
}
