import { filtersQuery, type ListFilters } from "../../src/tickets/filters.ts";
import { COUNT_CAP, type TicketRow as Row } from "../../src/tickets/model.ts";
import { Alert } from "../components/alert.tsx";
import { TICKET_COLUMNS } from "./ticket-row.tsx";
import { TicketRows } from "./ticket-rows.tsx";

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
  if (total > COUNT_CAP) return `More than ${COUNT_CAP.toLocaleString("en-US")} tickets`;
  return total === 1 ? "1 ticket" : `${total.toLocaleString("en-US")} tickets`;
}

const assigneeValue = (f: ListFilters) => (typeof f.assignee === "string" ? f.assignee : f.assignee.agentId);

/**
 * The results: the count, and a table of tickets. `#ticket-rows` carries the filters, so that
 * public/tickets.js can tell whether a row pushed live belongs to this list, and where.
 */
export function TicketResults(props: { list: TicketListView }) {
  const l = props.list;
  const f = l.filters;
  return (
    <div id="ticket-results" class="ticket-results">
      <Alert message={l.error} />
      <p class="ticket-count" id="ticket-count" safe>
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
        <tbody
          id="ticket-rows"
          data-filter-status={f.status}
          data-filter-priority={f.priority ?? ""}
          data-filter-assignee={assigneeValue(f)}
          data-filter-q={f.q}
          data-sort={f.sort}
        >
          <TicketRows rows={l.rows} next={l.next} filters={f} first={!l.cursor} />
        </tbody>
      </table>
    </div>
  );
}
