// The tickets list's query: its filters, sorts and keyset cursors, parsed from and written back
// to a query string.
import { t } from "elysia";
import { isUuid } from "../conversations/model.ts";
import { isPriority, isStatus, LIMITS, parseTicketNumber, type TicketPriority, type TicketStatus } from "./model.ts";

const text = (maxLength: number) => t.Optional(t.String({ maxLength }));

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
  /** How many rows the page shows (a refresh asks for as many again, up to SHOWN_CAP). */
  shown: text(6),
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

/** The most rows a list refresh brings back: the rows an agent loaded with "Load more", within reason. */
export const SHOWN_CAP = 200;

/** The `shown` parameter: how many rows the page shows (0 when absent or not a count). */
export const shownCount = (shown: string | undefined): number => (/^\d{1,6}$/.test(shown ?? "") ? Number(shown) : 0);

/** How many rows a refresh brings: as many as the page shows (at least a page, at most SHOWN_CAP). */
export const refreshSize = (shown: string | undefined, pageSize: number): number => Math.min(SHOWN_CAP, Math.max(pageSize, shownCount(shown)));

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
