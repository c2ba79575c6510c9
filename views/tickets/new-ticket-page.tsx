import type { NewTicketContext } from "../../src/tickets/model.ts";
import { LIMITS, TICKET_PRIORITIES, TICKET_STATUSES, type NewTicketValues, type TicketField } from "../../src/tickets/model.ts";
import { Field, fieldAria } from "../components/form-field.tsx";
import { AppLayout } from "../layouts/app-layout.tsx";
import { PRIORITY_LABEL, STATUS_LABEL, contactText } from "./labels.ts";
import { TicketConflict } from "./ticket-conflict.tsx";

function Select(props: { id: string; name: string; value: string; options: Array<[string, string]>; error?: string | undefined }) {
  return (
    <select id={props.id} name={props.name} {...fieldAria(props.id, props.error)}>
      {props.options.map(([value, label]) => (
        <option value={value} selected={value === props.value} safe>
          {label}
        </option>
      ))}
    </select>
  );
}

/**
 * The new-ticket form, a plain form post (it works without JavaScript): the subject starts as the
 * customer's first message; priority, assignee (the agent, by default) and status. A refused post
 * shows it again with what was typed and a message at each field; when the conversation already
 * has a ticket that is not closed, the page links to it instead.
 */
export function NewTicketPage(props: {
  agent: { name: string; role: string };
  context: NewTicketContext;
  values: NewTicketValues;
  errors?: Partial<Record<TicketField, string>>;
  /** A refusal of the whole ticket: the conversation has one (with a link to it). */
  conflict?: { message: string; existing?: { number: number } | undefined };
}) {
  const v = props.values;
  const errors = props.errors ?? {};
  const c = props.context.conversation;
  const unclosed = props.conflict ?? (c?.unclosed ? { message: `This conversation already has ticket #${c.unclosed.number}: close it before opening another.`, existing: c.unclosed } : undefined);
  const who = c ? contactText(c) : "";
  return (
    <AppLayout title="New ticket" section="tickets" agent={props.agent} styles={["/public/tickets.css"]}>
      <div class="new-ticket">
        <p class="ticket-back">
          {c ? <a href={`/inbox/c/${c.id}`}>Back to the conversation</a> : <a href="/tickets">All tickets</a>}
        </p>
        <h1>New ticket</h1>
        {c ? <p class="lead" safe>{`From the conversation with ${who}.`}</p> : ""}
        {Object.keys(errors).length ? (
          <p class="alert" role="alert">
            Some fields need another look: see below.
          </p>
        ) : (
          ""
        )}
        {unclosed ? <TicketConflict message={unclosed.message} existing={unclosed.existing} /> : ""}
        {c?.unclosed && !props.conflict ? (
          ""
        ) : (
          <form class="new-ticket-form card" method="post" action="/tickets">
            <input type="hidden" name="conversationId" value={v.conversationId} />
            <Field id="ticket-subject" label="Subject" error={errors.subject}>
              <input
                id="ticket-subject"
                name="subject"
                type="text"
                value={v.subject}
                required
                maxlength={String(LIMITS.subject)}
                autofocus
                {...fieldAria("ticket-subject", errors.subject)}
              />
            </Field>
            <Field id="ticket-description" label="Description (optional)" error={errors.description}>
              <textarea id="ticket-description" name="description" rows="5" maxlength={String(LIMITS.description)} {...fieldAria("ticket-description", errors.description)} safe>
                {v.description}
              </textarea>
            </Field>
            <Field id="ticket-priority" label="Priority" error={errors.priority}>
              <Select id="ticket-priority" name="priority" value={v.priority} error={errors.priority} options={TICKET_PRIORITIES.map((p) => [p, PRIORITY_LABEL[p]])} />
            </Field>
            <Field id="ticket-assignee" label="Assignee" error={errors.assigneeId}>
              <Select
                id="ticket-assignee"
                name="assigneeId"
                value={v.assigneeId}
                error={errors.assigneeId}
                options={[["", "Nobody"], ...props.context.agents.filter((a) => a.active).map((a): [string, string] => [a.id, a.name])]}
              />
            </Field>
            <Field id="ticket-status" label="Status" error={errors.status}>
              <Select id="ticket-status" name="status" value={v.status} error={errors.status} options={TICKET_STATUSES.map((s) => [s, STATUS_LABEL[s]])} />
            </Field>
            <button type="submit" class="button primary">
              Create ticket
            </button>
          </form>
        )}
      </div>
    </AppLayout>
  );
}
