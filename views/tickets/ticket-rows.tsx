import { filtersQuery, type ListFilters } from "../../src/tickets/filters.ts";
import type { TicketRow as Row } from "../../src/tickets/model.ts";
import { TICKET_COLUMNS, TicketRow } from "./ticket-row.tsx";

/** True when the filters are the defaults: the empty list then says there are no tickets at all, not "no matches". */
function filtered(f: ListFilters): boolean {
  return f.status !== "unclosed" || f.priority !== null || f.assignee !== "anyone" || f.q !== "";
}

/**
 * One page of the list (the `<tr>`s of `#ticket-rows`). "Load more" fetches the next page and
 * replaces itself with it; without JavaScript it opens the next page of /tickets. The first page
 * of an empty list says why it is empty. The last row holds `#ticket-shown`, how many rows the
 * list shows so far (`shown`), which the list's refresh sends (views/tickets/ticket-results.tsx).
 */
export function TicketRows(props: { rows: Row[]; next: string | null; filters: ListFilters; first: boolean; shown?: number }) {
  const colspan = String(TICKET_COLUMNS.length);
  const count = props.shown ?? props.rows.length;
  const shown = <input type="hidden" id="ticket-shown" name="shown" value={String(count)} />;
  return (
    <>
      {props.rows.map((ticket) => (
        <TicketRow ticket={ticket} />
      ))}
      {props.first && !props.rows.length ? (
        <tr class="tickets-empty">
          <td colspan={colspan}>
            {filtered(props.filters) ? (
              <p>No tickets match these filters.</p>
            ) : (
              <p>No open tickets. Create one from a conversation in the inbox, or with “New ticket”.</p>
            )}
          </td>
        </tr>
      ) : (
        ""
      )}
      {props.next ? (
        <tr class="load-more">
          <td colspan={colspan}>
            <a
              href={`/tickets${filtersQuery(props.filters, props.next)}`}
              hx-get={`/tickets/more${filtersQuery(props.filters, props.next)}&shown=${count}`}
              hx-target="closest tr"
              hx-swap="outerHTML"
            >
              Load more
            </a>
            {shown}
          </td>
        </tr>
      ) : (
        <tr class="list-end" hidden>
          <td colspan={colspan}>{shown}</td>
        </tr>
      )}
    </>
  );
}
