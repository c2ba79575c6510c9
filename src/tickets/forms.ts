// The ticket forms: what each admits (HTML forms post strings), and their parsing into a new
// ticket, a change or a comment, with a message per field that is wrong.
import { t } from "elysia";
import { isUuid } from "../conversations/model.ts";
import { isPriority, isStatus, LIMITS, type NewTicketValues, type TicketField, type TicketPriority, type TicketStatus } from "./model.ts";

// HTML forms post strings. The schemas only admit the fields and cap their size far above the
// limits (past them a post is garbage: 400); the parsers turn everything else into a message per
// field that the form shows next to it, with what was typed kept.

const text = (maxLength: number) => t.Optional(t.String({ maxLength }));

export const createForm = t.Object({
  conversationId: text(100),
  subject: text(10_000),
  description: text(100_000),
  status: text(100),
  priority: text(100),
  assigneeId: text(100),
});
export type CreateForm = typeof createForm.static;

/**
 * The properties form. `was*` are the values the form showed: only the fields the agent changed
 * from those are applied, so a form opened before a colleague's change does not undo it.
 */
export const updateForm = t.Object({
  status: text(100),
  priority: text(100),
  assigneeId: text(100),
  wasStatus: text(100),
  wasPriority: text(100),
  wasAssigneeId: text(100),
});
export type UpdateForm = typeof updateForm.static;

export const commentForm = t.Object({ body: text(100_000) });

export interface NewTicket {
  conversationId: string | null;
  subject: string;
  description: string;
  status: TicketStatus;
  priority: TicketPriority;
  /** Checked against the active agents by the service. */
  assigneeId: string | null;
}

/** One line: runs of white space (new lines included) become one space. */
export const oneLine = (value: string) => value.replace(/\s+/g, " ").trim();

/** `value` cut to at most `max` characters, at a word if one ends in the last third, with an ellipsis. */
export function shorten(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = value.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.66 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** What the subject starts as: the customer's first message (one line, shortened), else who they are. */
export function subjectFrom(firstCustomerMessage: string | null, contactLabel: string | null): string {
  const line = firstCustomerMessage ? oneLine(firstCustomerMessage) : "";
  if (line) return shorten(line, LIMITS.subjectPrefill);
  return contactLabel ? `Conversation with ${shorten(oneLine(contactLabel), LIMITS.subjectPrefill - 18)}` : "";
}

export function valuesFromForm(form: CreateForm): NewTicketValues {
  return {
    conversationId: form.conversationId ?? "",
    subject: form.subject ?? "",
    description: form.description ?? "",
    status: form.status ?? "open",
    priority: form.priority ?? "normal",
    assigneeId: form.assigneeId ?? "",
  };
}

const STATUS_CHOICE = "Choose a status: open, pending, solved or closed.";
const PRIORITY_CHOICE = "Choose a priority: low, normal, high or urgent.";
const ASSIGNEE_CHOICE = "Choose an agent of the team, or nobody.";

/** An assignee field: "" is nobody; anything but an id is refused (whether it is an active agent is the service's to check). */
function assigneeField(raw: string | undefined): { ok: true; value: string | null } | { ok: false } {
  if (!raw) return { ok: true, value: null };
  return isUuid(raw) ? { ok: true, value: raw.toLowerCase() } : { ok: false };
}

/** The new ticket, or a message per field that is wrong. */
export function parseNewTicket(values: NewTicketValues): { ok: true; value: NewTicket } | { ok: false; fields: Partial<Record<TicketField, string>> } {
  const fields: Partial<Record<TicketField, string>> = {};
  const subject = oneLine(values.subject);
  if (!subject) fields.subject = "Give the ticket a subject.";
  else if (subject.length > LIMITS.subject) fields.subject = `Keep the subject to ${LIMITS.subject} characters (it has ${subject.length}).`;
  const description = values.description.trim();
  if (description.length > LIMITS.description) fields.description = `Keep the description to ${LIMITS.description} characters (it has ${description.length}).`;
  if (!isStatus(values.status)) fields.status = STATUS_CHOICE;
  if (!isPriority(values.priority)) fields.priority = PRIORITY_CHOICE;
  const assignee = assigneeField(values.assigneeId);
  if (!assignee.ok) fields.assigneeId = ASSIGNEE_CHOICE;
  if (Object.keys(fields).length || !assignee.ok) return { ok: false, fields };
  return {
    ok: true,
    value: {
      // Whether it is a conversation's id is the service's to check (a refusal of its own: 404).
      conversationId: values.conversationId ? values.conversationId.toLowerCase() : null,
      subject,
      description,
      status: values.status as TicketStatus,
      priority: values.priority as TicketPriority,
      assigneeId: assignee.value,
    },
  };
}

/** What an update asks to change; a field left out is not changed. */
export interface TicketChange {
  status?: TicketStatus;
  priority?: TicketPriority;
  /** null: nobody. */
  assigneeId?: string | null;
}

/** The fields the agent changed from what their form showed (all given ones without `was*`), or why not. */
export function parseChange(form: UpdateForm): { ok: true; value: TicketChange } | { ok: false; fields: Partial<Record<TicketField, string>> } {
  const fields: Partial<Record<TicketField, string>> = {};
  const change: TicketChange = {};
  const changed = (value: string | undefined, was: string | undefined) => value !== undefined && (was === undefined || value !== was);
  if (changed(form.status, form.wasStatus)) {
    if (isStatus(form.status)) change.status = form.status;
    else fields.status = STATUS_CHOICE;
  }
  if (changed(form.priority, form.wasPriority)) {
    if (isPriority(form.priority)) change.priority = form.priority;
    else fields.priority = PRIORITY_CHOICE;
  }
  if (changed(form.assigneeId, form.wasAssigneeId)) {
    const assignee = assigneeField(form.assigneeId);
    if (assignee.ok) change.assigneeId = assignee.value;
    else fields.assigneeId = ASSIGNEE_CHOICE;
  }
  return Object.keys(fields).length ? { ok: false, fields } : { ok: true, value: change };
}

/** A comment's text, or why it is refused. */
export function parseComment(body: string | undefined): { ok: true; value: string } | { ok: false; error: string } {
  const text = (body ?? "").trim();
  if (!text) return { ok: false, error: "Write a comment first." };
  if (text.length > LIMITS.comment) return { ok: false, error: `Keep a comment to ${LIMITS.comment} characters (it has ${text.length}).` };
  return { ok: true, value: text };
}
