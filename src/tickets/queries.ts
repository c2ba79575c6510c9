// The rows of tickets and their history: what the new-ticket form reads, and every write. The
// list and the ticket page read through their own statements (list-queries.ts, page-queries.ts).
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { textOrNull, type Row } from "../db/raw-values.ts";
import { rowsOf } from "../db/rows.ts";
import { agents, contacts, conversations, messages, ticketComments, ticketEvents, tickets } from "../db/schema/index.ts";
import type { AgentChoice, NewTicketContext, Ticket, TicketEventType } from "./model.ts";
import { agentChoices } from "./row-sql.ts";

// --- the new-ticket form --------------------------------------------------------------------------

/** What the form needs, in one statement; undefined when the conversation does not exist. */
export async function newTicketContext(db: Db, conversationId: string | null): Promise<NewTicketContext | undefined> {
  if (!conversationId) {
    const [row] = rowsOf<Row>(await db.execute(sql`select ${agentChoices} as agents`));
    return { conversation: null, agents: (row?.agents ?? []) as AgentChoice[] };
  }
  const [row] = rowsOf<Row>(
    await db.execute(sql`select conv.id, conv.contact_id as "contactId", ct.name as "contactName", ct.email as "contactEmail",
      (select m.body from ${messages} m where m.conversation_id = conv.id and m.sender = 'customer' order by m.seq limit 1) as "firstCustomerMessage",
      (select json_build_object('number', t.number, 'title', t.title) from ${tickets} t where t.conversation_id = conv.id and t.status <> 'closed') as unclosed,
      ${agentChoices} as agents
    from ${conversations} conv join ${contacts} ct on ct.id = conv.contact_id
    where conv.id = ${conversationId}::uuid`),
  );
  if (!row) return undefined;
  return {
    conversation: {
      id: String(row.id),
      contactId: String(row.contactId),
      contactName: textOrNull(row.contactName),
      contactEmail: textOrNull(row.contactEmail),
      firstCustomerMessage: textOrNull(row.firstCustomerMessage),
      unclosed: (row.unclosed as { number: number; title: string } | null) ?? null,
    },
    agents: (row.agents ?? []) as AgentChoice[],
  };
}

export async function conversationContact(db: Db, conversationId: string): Promise<{ contactId: string } | undefined> {
  const [row] = await db.select({ contactId: conversations.contactId }).from(conversations).where(eq(conversations.id, conversationId));
  return row;
}

/** The conversation's ticket that is not closed (who beat us to it). */
export async function unclosedOf(db: Db, conversationId: string): Promise<{ number: number; title: string } | undefined> {
  const [row] = await db
    .select({ number: tickets.number, title: tickets.title })
    .from(tickets)
    .where(sql`${tickets.conversationId} = ${conversationId} and ${tickets.status} <> 'closed'`);
  return row;
}

export async function activeAgent(db: Db, id: string): Promise<{ id: string; name: string } | undefined> {
  const [row] = await db
    .select({ id: agents.id, name: agents.name })
    .from(agents)
    .where(sql`${agents.id} = ${id} and ${agents.deactivatedAt} is null`);
  return row;
}

// --- writes ---------------------------------------------------------------------------------------

export async function insertTicket(tx: Db, values: typeof tickets.$inferInsert): Promise<Ticket> {
  const [row] = await tx.insert(tickets).values(values).returning();
  return row!;
}

export interface NewEvent {
  type: TicketEventType;
  from: string | null;
  to: string | null;
}

/** Appends to the ticket's history, all at the same moment; returns the ids, in the order given. */
export async function insertEvents(tx: Db, ticketId: string, actorAgentId: string, events: NewEvent[], at: Date): Promise<string[]> {
  if (!events.length) return [];
  const rows = await tx
    .insert(ticketEvents)
    .values(events.map((e) => ({ id: Bun.randomUUIDv7(), ticketId, actorAgentId, type: e.type, from: e.from, to: e.to, createdAt: at })))
    .returning({ id: ticketEvents.id });
  return rows.map((r) => r.id);
}

/** The ticket, locked until the transaction ends: every change of one ticket queues here. */
export async function lockByNumber(tx: Db, number: number): Promise<Ticket | undefined> {
  const [row] = await tx.select().from(tickets).where(eq(tickets.number, number)).for("update");
  return row;
}

export async function updateTicket(tx: Db, id: string, values: Partial<typeof tickets.$inferInsert>): Promise<Ticket> {
  const [row] = await tx.update(tickets).set(values).where(eq(tickets.id, id)).returning();
  return row!;
}

export async function insertComment(tx: Db, ticketId: string, authorId: string, body: string, at: Date): Promise<string> {
  const [row] = await tx.insert(ticketComments).values({ ticketId, authorId, body, createdAt: at }).returning({ id: ticketComments.id });
  return row!.id;
}
