// What the tickets pages read: the new-ticket form's starting values, a ticket's page, and a page
// of the list. Each is one statement.
import { isUuid } from "../conversations/model.ts";
import type { Db } from "../db/database.ts";
import { decodeCursor, encodeCursor, type ListFilters } from "./filters.ts";
import { subjectFrom } from "./forms.ts";
import { contactDisplayName } from "../contacts/display-name.ts";
import { listPage, type ListResult } from "./list-queries.ts";
import { PAGE_SIZE, TICKET_PRIORITIES, TicketRefused, TRANSCRIPT_LIMIT, type NewTicketContext, type NewTicketValues, type TicketDetail, type TicketRow } from "./model.ts";
import { detailByNumber } from "./page-queries.ts";
import * as q from "./queries.ts";
import { conversationNotFound, type ActingAgent } from "./verbs.ts";

export interface NewTicketForm {
  context: NewTicketContext;
  values: NewTicketValues;
}

/**
 * What the form starts with: the subject from the customer's first message, priority normal,
 * status open, assigned to the agent filling it in. A conversation that does not exist is refused.
 */
export async function newTicketForm(db: Db, agent: ActingAgent, conversationId: string | null): Promise<NewTicketForm> {
  if (conversationId !== null && !isUuid(conversationId)) throw conversationNotFound();
  const context = await q.newTicketContext(db, conversationId);
  if (!context) throw conversationNotFound();
  const c = context.conversation;
  return {
    context,
    values: {
      conversationId: c?.id ?? "",
      subject: c ? subjectFrom(c.firstCustomerMessage, contactDisplayName({ id: c.contactId, name: c.contactName, email: c.contactEmail })) : "",
      description: "",
      status: "open",
      priority: "normal",
      assigneeId: context.agents.some((a) => a.id === agent.id && a.active) ? agent.id : "",
    },
  };
}

/** The form's context again, to show it with what was typed (after a refusal). */
export async function formContext(db: Db, conversationId: string): Promise<NewTicketContext | undefined> {
  return q.newTicketContext(db, isUuid(conversationId) ? conversationId : null);
}

export function ticketDetail(db: Db, number: number): Promise<TicketDetail | undefined> {
  return detailByNumber(db, number, TRANSCRIPT_LIMIT);
}

export interface ListPage {
  rows: TicketRow[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  next: string | null;
  total: number | null;
  agents: ListResult["agents"];
}

/**
 * One page of the list (`size` rows after `cursor`: PAGE_SIZE, or more for a refresh that keeps
 * the rows "Load more" brought), with the capped count and the agents when asked, in one
 * statement. A cursor that is not ours, or not of this sort, is refused.
 */
export async function listTickets(
  db: Db,
  agentId: string,
  filters: ListFilters,
  cursor: string | null,
  extra: { count: boolean; agents: boolean },
  size = PAGE_SIZE,
): Promise<ListPage> {
  const decoded = cursor ? decodeCursor(cursor, filters.sort) : null;
  if (cursor && !decoded) throw new TicketRefused("invalid", "That page of the list does not exist: start again from the first page.");
  const result = await listPage(db, filters, agentId, decoded, size + 1, extra);
  const rows = result.rows.slice(0, size);
  const last = rows.at(-1);
  const next =
    result.rows.length > size && last
      ? encodeCursor({
          sort: filters.sort,
          rank: TICKET_PRIORITIES.indexOf(last.priority),
          micros: filters.sort === "created" ? last.createdMicros : last.updatedMicros,
          id: last.id,
        })
      : null;
  return { rows: rows.map(({ createdMicros: _c, updatedMicros: _u, ...row }) => row), next, total: result.total, agents: result.agents };
}
