import { t } from "elysia";
import { isUuid } from "../conversations/model.ts";
import type { tickets } from "../db/schema/index.ts";

export const TICKET_STATUSES = ["open", "pending", "solved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** In rising urgency, as the enum declares them (`order by priority desc` is urgent first). */
export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export type Ticket = typeof tickets.$inferSelect;

export const LIMITS = {
  subject: 200,
  /** What the subject is prefilled with is cut here (at a word), well under the limit. */
  subjectPrefill: 80,
  description: 10_000,
  comment: 5_000,
  search: 100,
} as const;

/** Rows per page of the list; "Load more" asks for the next page after the last row. */
export const PAGE_SIZE = 25;
/**
 * The list's count stops here ("More than 500 tickets"): counting costs a row read per match (and
 * a text match per row read), which for 50,000 tickets would cost more than the page.
 */
export const COUNT_CAP = 500;
/** The ticket page shows the conversation's newest messages, up to this many. */
export const TRANSCRIPT_LIMIT = 100;

export const isStatus = (value: unknown): value is TicketStatus => (TICKET_STATUSES as readonly unknown[]).includes(value);
export const isPriority = (value: unknown): value is TicketPriority => (TICKET_PRIORITIES as readonly unknown[]).includes(value);

/** A ticket number as URLs and searches spell it ("123"); null for anything else. */
export function parseTicketNumber(raw: unknown): number | null {
  if (typeof raw !== "string" || !/^\d{1,10}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= 2 ** 31 - 1 ? n : null;
}

/** Why a ticket verb did nothing; the page shows `message`, and `code` picks the HTTP status. */
export class TicketRefused extends Error {
  override name = "TicketRefused";
  constructor(
    readonly code: "not_found" | "conversation_not_found" | "unclosed_exists" | "invalid",
    message: string,
    /** unclosed_exists: the conversation's ticket that is not closed. */
    readonly existing?: { number: number; title: string },
    /** invalid: a message per form field. */
    readonly fields: Partial<Record<TicketField, string>> = {},
  ) {
    super(message);
  }
}

export type TicketField = "subject" | "description" | "status" | "priority" | "assigneeId" | "body";

// --- forms --------------------------------------------------------------------------------------
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

/** The new-ticket form as the page shows it: what was typed, so that a refused post loses nothing. */
export interface NewTicketValues {
  conversationId: string;
  subject: string;
  description: string;
  status: string;
  priority: string;
  assigneeId: string;
}

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

// --- the list -----------------------------------------------------------------------------------

export const SORTS = ["updated", "created", "priority"] as const;
export type Sort = (typeof SORTS)[number];

/** "unclosed" (the default: every status but closed), "any", or one status. */
export type StatusFilter = "unclosed" | "any" | TicketStatus;
/** "anyone" (the default), "me", "none" (unassigned) or an agent's id. */
export type AssigneeFilter = "anyone" | "me" | "none" | { agentId: string };

export interface ListFilters {
  status: StatusFilter;
  priority: TicketPriority | null;
  assignee: AssigneeFilter;
  /** Trimmed; "" for no search. */
  q: string;
  sort: Sort;
}

export const DEFAULT_FILTERS: ListFilters = { status: "unclosed", priority: null, assignee: "anyone", q: "", sort: "updated" };

/** The list's query string: every field optional; an empty one means its default. */
export const listQuery = t.Object({
  status: text(20),
  priority: text(20),
  assignee: text(100),
  q: text(1000),
  sort: text(20),
  cursor: text(300),
});
export type ListQuery = typeof listQuery.static;

/** The filters a query string asks for, or why they cannot be used (shown above the list, 400). */
export function parseFilters(query: ListQuery): { ok: true; value: ListFilters } | { ok: false; error: string; value: ListFilters } {
  const value: ListFilters = { ...DEFAULT_FILTERS };
  const errors: string[] = [];
  const status = query.status || "";
  if (status === "any" || isStatus(status)) value.status = status;
  else if (status && status !== "unclosed") errors.push(`There is no status “${status}”.`);
  const priority = query.priority || "";
  if (isPriority(priority)) value.priority = priority;
  else if (priority && priority !== "any") errors.push(`There is no priority “${priority}”.`);
  const assignee = query.assignee || "";
  if (assignee === "me" || assignee === "none") value.assignee = assignee;
  else if (isUuid(assignee)) value.assignee = { agentId: assignee.toLowerCase() };
  else if (assignee && assignee !== "anyone") errors.push("There is no such assignee.");
  const q = (query.q ?? "").trim();
  if (q.length > LIMITS.search) errors.push(`Search for at most ${LIMITS.search} characters.`);
  else value.q = q;
  const sort = query.sort || "";
  if ((SORTS as readonly string[]).includes(sort)) value.sort = sort as Sort;
  else if (sort) errors.push(`The list cannot be sorted by “${sort}”.`);
  return errors.length ? { ok: false, error: errors.join(" "), value } : { ok: true, value };
}

/** The filters as a query string, defaults left out (the URL a filter form or a "Load more" link makes). */
export function filtersQuery(f: ListFilters, cursor?: string | null): string {
  const params = new URLSearchParams();
  if (f.q) params.set("q", f.q);
  if (f.status !== "unclosed") params.set("status", f.status);
  if (f.priority) params.set("priority", f.priority);
  if (f.assignee !== "anyone") params.set("assignee", typeof f.assignee === "string" ? f.assignee : f.assignee.agentId);
  if (f.sort !== "updated") params.set("sort", f.sort);
  if (cursor) params.set("cursor", cursor);
  const s = params.toString();
  return s ? `?${s}` : "";
}

/**
 * A text search for a ticket number: "#123" is that ticket only; "123" is that ticket or a subject
 * containing "123".
 */
export function numberSearch(q: string): { number: number; only: boolean } | null {
  const m = /^(#?)(\d{1,10})$/.exec(q);
  const number = m ? parseTicketNumber(m[2]) : null;
  return number === null ? null : { number, only: m![1] === "#" };
}

/**
 * Keyset cursor: where the last row of a page stands in the sort order. Times are microseconds
 * (as PostgreSQL keeps them; a JavaScript date would lose the last three digits, and rows within
 * the same millisecond would be skipped). Opaque to clients; one that is not ours is refused.
 */
export interface ListCursor {
  sort: Sort;
  /** priority sort: the priority's place in TICKET_PRIORITIES. */
  rank: number;
  micros: string;
  id: string;
}

export function encodeCursor(c: ListCursor): string {
  return Buffer.from(`${c.sort}|${c.rank}|${c.micros}|${c.id}`).toString("base64url");
}

export function decodeCursor(raw: string, sort: Sort): ListCursor | null {
  const [s, rank, micros, id] = Buffer.from(raw, "base64url").toString().split("|");
  if (s !== sort || !rank || !/^[0-3]$/.test(rank) || !micros || !/^-?\d{1,16}$/.test(micros) || !isUuid(id)) return null;
  return { sort, rank: Number(rank), micros, id };
}

/** A row of the list, as the page, "Load more" and the live push render it. */
export interface TicketRow {
  id: string;
  number: number;
  title: string;
  status: TicketStatus;
  priority: TicketPriority;
  assigneeId: string | null;
  assigneeName: string | null;
  conversationId: string | null;
  contactName: string | null;
  contactEmail: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AgentChoice {
  id: string;
  name: string;
  active: boolean;
}
