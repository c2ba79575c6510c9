import { filtersQuery, type ListFilters } from "../../src/tickets/filters.ts";
import { COUNT_CAP, type TicketRow as Row } from "../../src/tickets/model.ts";
import { Alert } from "../components/alert.tsx";
import { TICKET_COLUMNS } from "./ticket-row.tsx";
import { TicketRows } from "./ticket-rows.tsx";
import { formatCount } from "../components/dates.ts";

/** What the list shows for one set of filters: the page /tickets renders, and what htmx swaps when they change. */
export interface TicketListView {
  filters: ListFilters;
  rows: Row[];
  next: string | null;
  /** Counted no further than COUNT_CAP + 1; null when not counted. */
  total: number | null;
  /** A later page (no-JS "Load more"): the rows start after it. */
  cursor?: string | null;
  /** Why the filters could not be used (the list is then empty). */
  error?: string;
}

function countText(total: number | null): string {
  if (total === null) return "";
  if (total > COUNT_CAP) return `More than ${formatCount(COUNT_CAP)} tickets`;
  return total === 1 ? "1 ticket" : `${formatCount(total)} tickets`;
}

/**
 * The results: the count, and a table of tickets. Live: a ticket pushed to the list updates its
 * row in place (out of band); the push also says the list is stale (views/components/list-push.ts)
 * and the results ask for themselves again, with these filters and as many rows as are shown
 * (`#ticket-shown`), so a row that now matches appears, one that no longer does leaves, and the
 * order and count are the server's. Morphed in place: rows keep focus and nothing flickers.
 */
export function TicketResults(props: { list: TicketListView }) {
  const l = props.list;
  const f = l.filters;
  return (
    <div
      id="ticket-results"
      class="ticket-results"
      data-list="tickets"
      hx-get={`/tickets${filtersQuery(f, l.cursor)}`}
      hx-trigger="list-stale throttle:1s"
      hx-include="#ticket-shown"
      hx-swap="outerMorph"
    >
      <Alert message={l.error} />
      {/* A polite live region: a list that changes by itself says so. */}
      <p class="ticket-count" id="ticket-count" role="status" aria-live="polite" safe>
        {countText(l.total)}
      </p>
      {l.cursor ? (
        <p class="ticket-back">
          <a href={`/tickets${filtersQuery(f)}`}>Back to the first page</a>
        </p>
      ) : (
        ""
      )}
      <table class="ticket-table">
        <caption class="visually-hidden">Tickets</caption>
        <thead>
          <tr>
            {TICKET_COLUMNS.map((name) => (
              <th scope="col">{name}</th>
            ))}
          </tr>
        </thead>
        <tbody id="ticket-rows">
          <TicketRows rows={l.rows} next={l.next} filters={f} first={!l.cursor} shown={l.rows.length} />
        </tbody>
      </table>
    </div>
  );
}
