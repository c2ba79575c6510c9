import { AppLayout } from "../layouts/app-layout.tsx";

/** A ticket number (or a conversation for a new ticket) that names nothing: a mistyped or old link. */
export function TicketNotFoundPage(props: { agent: { name: string; role: string }; what?: "ticket" | "conversation" }) {
  const conversation = props.what === "conversation";
  return (
    <AppLayout title={conversation ? "No such conversation" : "No such ticket"} section="tickets" agent={props.agent}>
      <h1>{conversation ? "No such conversation" : "No such ticket"}</h1>
      <p>{conversation ? "A ticket can only be made from a conversation that exists." : "This ticket does not exist. Its link may be mistyped."}</p>
      <p>
        <a href="/tickets">See all tickets</a> · <a href="/inbox">Back to the inbox</a>
      </p>
    </AppLayout>
  );
}
