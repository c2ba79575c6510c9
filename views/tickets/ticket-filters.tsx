import type { ListFilters } from "../../src/tickets/filters.ts";
import { LIMITS, TICKET_PRIORITIES, TICKET_STATUSES, type AgentChoice } from "../../src/tickets/model.ts";
import { PRIORITY_LABEL, STATUS_LABEL } from "./labels.ts";

function Choice(props: { value: string; label: string; current: string }) {
  return (
    <option value={props.value} selected={props.value === props.current} safe>
      {props.label}
    </option>
  );
}

/** An agent in a choice: the ones who left are still there to find their tickets, and say so. */
export const agentLabel = (a: AgentChoice) => (a.active ? a.name : `${a.name} (deactivated)`);

/**
 * The filters, as a GET form: the URL holds them (shareable; the back button works). With
 * JavaScript htmx swaps the results as they change and pushes the URL; without it, Apply
 * loads the page.
 */
export function TicketFilters(props: { filters: ListFilters; agents: AgentChoice[] }) {
  const f = props.filters;
  const assignee = typeof f.assignee === "string" ? (f.assignee === "anyone" ? "" : f.assignee) : f.assignee.agentId;
  const unknownAgent = typeof f.assignee === "object" && !props.agents.some((a) => a.id === assignee);
  return (
    <form
      class="ticket-filters"
      role="search"
      aria-label="Filter tickets"
      method="get"
      action="/tickets"
      hx-get="/tickets"
      hx-target="#ticket-results"
      hx-swap="outerHTML"
      hx-push-url="true"
      hx-trigger="submit, input delay:300ms"
    >
      <div class="filter filter-q">
        <label for="tickets-q">Search</label>
        <input id="tickets-q" type="search" name="q" value={f.q} maxlength={String(LIMITS.search)} placeholder="Subject or #number" autocomplete="off" />
      </div>
      <div class="filter">
        <label for="tickets-status">Status</label>
        <select id="tickets-status" name="status">
          <Choice value="" label="Not closed" current={f.status === "unclosed" ? "" : f.status} />
          {TICKET_STATUSES.map((s) => (
            <Choice value={s} label={STATUS_LABEL[s]} current={f.status} />
          ))}
          <Choice value="any" label="Any status" current={f.status} />
        </select>
      </div>
      <div class="filter">
        <label for="tickets-priority">Priority</label>
        <select id="tickets-priority" name="priority">
          <Choice value="" label="Any priority" current={f.priority ?? ""} />
          {[...TICKET_PRIORITIES].reverse().map((p) => (
            <Choice value={p} label={PRIORITY_LABEL[p]} current={f.priority ?? ""} />
          ))}
        </select>
      </div>
      <div class="filter">
        <label for="tickets-assignee">Assignee</label>
        <select id="tickets-assignee" name="assignee">
          <Choice value="" label="Anyone" current={assignee} />
          <Choice value="me" label="Me" current={assignee} />
          <Choice value="none" label="Unassigned" current={assignee} />
          {props.agents.map((a) => (
            <Choice value={a.id} label={agentLabel(a)} current={assignee} />
          ))}
          {unknownAgent ? <Choice value={assignee} label="Unknown agent" current={assignee} /> : ""}
        </select>
      </div>
      <div class="filter">
        <label for="tickets-sort">Sort by</label>
        <select id="tickets-sort" name="sort">
          <Choice value="" label="Last update" current={f.sort === "updated" ? "" : f.sort} />
          <Choice value="created" label="Creation" current={f.sort} />
          <Choice value="priority" label="Priority" current={f.sort} />
        </select>
      </div>
      <button type="submit" class="button">
        Apply
      </button>
    </form>
  );
}
