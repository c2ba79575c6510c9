import type { AgentChoice } from "../../src/tickets/model.ts";
import { FollowSender } from "../components/ws-sender.tsx";
import { LiveStatus } from "../inbox/live-status.tsx";
import { AppLayout } from "../layouts/app-layout.tsx";
import { TicketFilters } from "./ticket-filters.tsx";
import { TicketResults, type TicketListView } from "./ticket-results.tsx";

export const TICKET_SCRIPTS = ["/public/vendor/htmx.min.js", "/public/vendor/hx-ws.min.js", "/public/live.js", "/public/tickets.js"];

/**
 * /tickets: the filters and the results. Inside the agents' socket (`hx-ws:connect`), following
 * the tickets list: a ticket changed by anyone swaps its row in place, and the results refresh
 * themselves from the server (views/tickets/ticket-results.tsx); no list rule runs in the browser.
 */
export function TicketsPage(props: { agent: { id: string; name: string; role: string }; list: TicketListView; agents: AgentChoice[] }) {
  return (
    <AppLayout title="Tickets" section="tickets" agent={props.agent} styles={["/public/tickets.css"]} scripts={TICKET_SCRIPTS}>
      <div class="tickets" hx-ws:connect="/ws/inbox">
        <FollowSender page="tickets" />
        <div class="tickets-toolbar">
          <h1>Tickets</h1>
          <LiveStatus state="connecting" />
          <a class="button tickets-new" href="/tickets/new">
            New ticket
          </a>
        </div>
        <TicketFilters filters={props.list.filters} agents={props.agents} />
        <TicketResults list={props.list} />
      </div>
    </AppLayout>
  );
}
