import { TICKET_PRIORITIES, TICKET_STATUSES, type AgentChoice, type TicketField, type TicketRow } from "../../src/tickets/model.ts";
import { FieldError, fieldAria } from "../components/form-field.tsx";
import { agentLabel } from "./ticket-filters.tsx";
import { PRIORITY_LABEL, STATUS_LABEL } from "./labels.ts";

/** Whom a ticket can be given to: the active agents, and its assignee even if they have left (so that saving does not drop them). */
export function assigneeChoices(agents: AgentChoice[], current: string | null): AgentChoice[] {
  return agents.filter((a) => a.active || a.id === current);
}

/**
 * Status, priority and assignee. The `was*` fields hold what the form shows, so that only what
 * the agent changes is applied (a colleague's change made meanwhile is not undone); when a
 * colleague changes the ticket, public/tickets.js moves the fields they did not touch along.
 */
export function TicketPropertiesForm(props: {
  ticket: TicketRow;
  agents: AgentChoice[];
  errors?: Partial<Record<TicketField, string>>;
}) {
  const t = props.ticket;
  const id = t.id;
  const action = `/tickets/${t.number}`;
  const errors = props.errors ?? {};
  const field = (name: string) => `ticket-${name}-${id}`;
  return (
    <form
      id={`ticket-props-${id}`}
      class="ticket-props"
      method="post"
      action={action}
      hx-post={action}
      hx-swap="none"
      {...{ "hx-status:4xx": `target:#ticket-props-error-${id} swap:innerHTML`, "hx-status:5xx": `target:#ticket-props-error-${id} swap:innerHTML` }}
    >
      <input type="hidden" name="wasStatus" value={t.status} />
      <input type="hidden" name="wasPriority" value={t.priority} />
      <input type="hidden" name="wasAssigneeId" value={t.assigneeId ?? ""} />
      <div class="field">
        <label for={field("status")}>Status</label>
        <select id={field("status")} name="status" data-field="status" {...fieldAria(field("status"), errors.status)}>
          {TICKET_STATUSES.map((s) => (
            <option value={s} selected={s === t.status} safe>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
        <FieldError id={`${field("status")}-error`} message={errors.status} />
      </div>
      <div class="field">
        <label for={field("priority")}>Priority</label>
        <select id={field("priority")} name="priority" data-field="priority" {...fieldAria(field("priority"), errors.priority)}>
          {TICKET_PRIORITIES.map((p) => (
            <option value={p} selected={p === t.priority} safe>
              {PRIORITY_LABEL[p]}
            </option>
          ))}
        </select>
        <FieldError id={`${field("priority")}-error`} message={errors.priority} />
      </div>
      <div class="field">
        <label for={field("assignee")}>Assignee</label>
        <select id={field("assignee")} name="assigneeId" data-field="assigneeId" {...fieldAria(field("assignee"), errors.assigneeId)}>
          <option value="" selected={!t.assigneeId}>
            Nobody
          </option>
          {assigneeChoices(props.agents, t.assigneeId).map((a) => (
            <option value={a.id} selected={a.id === t.assigneeId} safe>
              {agentLabel(a)}
            </option>
          ))}
        </select>
        <FieldError id={`${field("assignee")}-error`} message={errors.assigneeId} />
      </div>
      {/* Where htmx puts a refusal (a success empties it), and public/tickets.js says that a colleague changed the ticket meanwhile. */}
      <div id={`ticket-props-error-${id}`} class="form-error" aria-live="polite"></div>
      <p id={`ticket-props-notice-${id}`} class="ticket-props-notice" role="status"></p>
      <button type="submit" class="button primary">
        Save changes
      </button>
    </form>
  );
}
