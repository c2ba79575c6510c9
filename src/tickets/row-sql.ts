// How every page of tickets reads a ticket's row (the list, the ticket page, a live push): the
// columns picked, the columns shown, and the row they make; and the choice of agents.
import { sql } from "drizzle-orm";
import { dateOf, epochMs, micros, textOrNull, type Row } from "../db/raw-values.ts";
import { agents } from "../db/schema/index.ts";
import type { TicketPriority, TicketRow, TicketStatus } from "./model.ts";

/** Active agents first, then by name: the order of every choice of agent. */
export const agentChoices = sql`(select coalesce(json_agg(json_build_object('id', a.id, 'name', a.name, 'active', a.deactivated_at is null)
    order by a.deactivated_at is not null, lower(a.name), a.id), '[]'::json) from ${agents} a)`;

/** What a list row shows, from `p` (the picked tickets), `a` (the assignee) and `c` (the contact). */
export const ROW_COLUMNS = sql`p.id, p.number, p.title, p.status, p.priority, p.assignee_id as "assigneeId", a.name as "assigneeName",
  p.conversation_id as "conversationId", c.id as "contactId", c.name as "contactName", c.email as "contactEmail",
  ${epochMs(sql`p.created_at`)} as "createdAt", ${epochMs(sql`p.updated_at`)} as "updatedAt",
  ${micros(sql`p.created_at`)} as "createdMicros", ${micros(sql`p.updated_at`)} as "updatedMicros"`;

export const PICKED_COLUMNS = sql`t.id, t.number, t.title, t.status, t.priority, t.assignee_id, t.conversation_id, t.contact_id, t.created_at, t.updated_at`;

export function rowFrom(r: Row): TicketRow {
  return {
    id: String(r.id),
    number: Number(r.number),
    title: String(r.title),
    status: r.status as TicketStatus,
    priority: r.priority as TicketPriority,
    assigneeId: textOrNull(r.assigneeId),
    assigneeName: textOrNull(r.assigneeName),
    conversationId: textOrNull(r.conversationId),
    contactId: textOrNull(r.contactId),
    contactName: textOrNull(r.contactName),
    contactEmail: textOrNull(r.contactEmail),
    createdAt: dateOf(r.createdAt),
    updatedAt: dateOf(r.updatedAt),
  };
}
