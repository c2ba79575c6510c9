// The ticket verbs: each runs in one transaction and records what changed in the ticket's history
// (ticket_events); only after the commit are agents told (notify.tsx). A verb that throws has
// changed nothing and told no one.
import { isUuid } from "../conversations/model.ts";
import type { Db } from "../db/database.ts";
import { isUniqueViolation } from "../db/rows.ts";
import type { Logger } from "../log/logger.ts";
import type { Bus } from "../realtime/bus.ts";
import { parseChange, parseComment, parseNewTicket, type UpdateForm } from "./forms.ts";
import { TicketRefused, type NewTicketValues, type Ticket, type TicketStatus } from "./model.ts";
import * as notify from "./notify.tsx";
import * as q from "./queries.ts";

export interface TicketDeps {
  db: Db;
  bus: Bus;
  log: Logger;
}

export interface ActingAgent {
  id: string;
  name: string;
}

const notFound = () => new TicketRefused("not_found", "This ticket does not exist.");
export const conversationNotFound = () => new TicketRefused("conversation_not_found", "This conversation does not exist.");
const invalid = (fields: ConstructorParameters<typeof TicketRefused>[3]) =>
  new TicketRefused("invalid", "Some fields need another look: see below.", undefined, fields);
const noSuchAgent = () => invalid({ assigneeId: "That agent does not exist or has been deactivated." });

/** The unique index refused a second ticket that is not closed: say which one the conversation has. */
async function unclosedExists(db: Db, conversationId: string): Promise<TicketRefused> {
  const existing = await q.unclosedOf(db, conversationId);
  const which = existing ? `ticket #${existing.number}` : "a ticket that is not closed";
  return new TicketRefused("unclosed_exists", `This conversation already has ${which}. Close it before opening another.`, existing);
}

/** Solving a ticket records when; closing keeps that moment (or takes now); opening it again clears it. */
function resolvedAtFor(status: TicketStatus, before: Date | null, now: Date): Date | null {
  if (status === "solved") return now;
  if (status === "closed") return before ?? now;
  return null;
}

/**
 * A new ticket and its `created` event, in one transaction. A conversation has at most one ticket
 * that is not closed: the unique index holds that under races (of two agents at once, one wins,
 * and the other is told which ticket it has).
 */
export async function createTicket(deps: TicketDeps, agent: ActingAgent, values: NewTicketValues): Promise<Ticket> {
  const parsed = parseNewTicket(values);
  if (!parsed.ok) throw invalid(parsed.fields);
  const v = parsed.value;
  let contactId: string | null = null;
  if (v.conversationId) {
    if (!isUuid(v.conversationId)) throw conversationNotFound();
    const conversation = await q.conversationContact(deps.db, v.conversationId);
    if (!conversation) throw conversationNotFound();
    contactId = conversation.contactId;
  }
  if (v.assigneeId && !(await q.activeAgent(deps.db, v.assigneeId))) throw noSuchAgent();

  const now = new Date();
  let created: { ticket: Ticket; eventIds: string[] };
  try {
    created = await deps.db.transaction(async (tx) => {
      const ticket = await q.insertTicket(tx, {
        conversationId: v.conversationId,
        contactId,
        title: v.subject,
        description: v.description,
        status: v.status,
        priority: v.priority,
        assigneeId: v.assigneeId,
        createdById: agent.id,
        createdAt: now,
        updatedAt: now,
        resolvedAt: resolvedAtFor(v.status, null, now),
      });
      const eventIds = await q.insertEvents(tx, ticket.id, agent.id, [{ type: "created", from: null, to: v.status }], now);
      return { ticket, eventIds };
    });
  } catch (err) {
    if (v.conversationId && isUniqueViolation(err)) throw await unclosedExists(deps.db, v.conversationId);
    throw err;
  }
  await notify.ticketChanged(deps, created.ticket.id, { eventIds: created.eventIds, commentId: null, paneChanged: true });
  return created.ticket;
}

export interface UpdateResult {
  ticket: Ticket;
  /** How many fields changed (one history row each); 0 when the form changed nothing. */
  changed: number;
  /** What was pushed to every agent (the ticket page's live parts), or null when nothing was. */
  live: string | null;
}

/**
 * Changes status, priority and assignee: one history row per field that changed (from, to, who,
 * when), and a new updated_at; a field that did not change writes nothing. Opening a closed ticket
 * again is refused while its conversation has another that is not closed.
 */
export async function updateTicket(deps: TicketDeps, agent: ActingAgent, number: number, form: UpdateForm): Promise<UpdateResult> {
  const parsed = parseChange(form);
  if (!parsed.ok) throw invalid(parsed.fields);
  const change = parsed.value;
  const now = new Date();
  let outcome: { ticket: Ticket; eventIds: string[]; statusBefore: TicketStatus };
  let conversationId: string | null = null;
  try {
    outcome = await deps.db.transaction(async (tx) => {
      const t = await q.lockByNumber(tx, number);
      if (!t) throw notFound();
      conversationId = t.conversationId;
      const events: q.NewEvent[] = [];
      const set: Partial<Ticket> = {};
      if (change.status !== undefined && change.status !== t.status) {
        events.push({ type: "status", from: t.status, to: change.status });
        set.status = change.status;
        set.resolvedAt = resolvedAtFor(change.status, t.resolvedAt, now);
      }
      if (change.priority !== undefined && change.priority !== t.priority) {
        events.push({ type: "priority", from: t.priority, to: change.priority });
        set.priority = change.priority;
      }
      if (change.assigneeId !== undefined && change.assigneeId !== t.assigneeId) {
        if (change.assigneeId && !(await q.activeAgent(tx, change.assigneeId))) throw noSuchAgent();
        events.push({ type: "assignee", from: t.assigneeId, to: change.assigneeId });
        set.assigneeId = change.assigneeId;
      }
      if (!events.length) return { ticket: t, eventIds: [], statusBefore: t.status };
      const ticket = await q.updateTicket(tx, t.id, { ...set, updatedAt: now });
      return { ticket, eventIds: await q.insertEvents(tx, t.id, agent.id, events, now), statusBefore: t.status };
    });
  } catch (err) {
    if (conversationId && isUniqueViolation(err)) throw await unclosedExists(deps.db, conversationId);
    throw err;
  }
  const { ticket, eventIds, statusBefore } = outcome;
  if (!eventIds.length) return { ticket, changed: 0, live: null };
  // The conversation shows the ticket that is not closed (else its latest): this one, unless it
  // was closed before and after.
  const paneChanged = ticket.status !== statusBefore && !(ticket.status === "closed" && statusBefore === "closed");
  const live = await notify.ticketChanged(deps, ticket.id, { eventIds, commentId: null, paneChanged });
  return { ticket, changed: eventIds.length, live };
}

/** An internal comment (agents only, never the customer); it counts as an update of the ticket. */
export async function addComment(deps: TicketDeps, agent: ActingAgent, number: number, body: string | undefined): Promise<{ ticket: Ticket; live: string | null }> {
  const parsed = parseComment(body);
  if (!parsed.ok) throw invalid({ body: parsed.error });
  const now = new Date();
  const { ticket, commentId } = await deps.db.transaction(async (tx) => {
    const t = await q.lockByNumber(tx, number);
    if (!t) throw notFound();
    const commentId = await q.insertComment(tx, t.id, agent.id, parsed.value, now);
    return { ticket: await q.updateTicket(tx, t.id, { updatedAt: now }), commentId };
  });
  const live = await notify.ticketChanged(deps, ticket.id, { eventIds: [], commentId, paneChanged: false });
  return { ticket, live };
}
