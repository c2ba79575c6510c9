// The rows of one conversation and its events: find, lock, create, change. The lists and the
// pane read through their own statements (list-queries.ts, pane-queries.ts); messages and the
// seq they take are written only by src/messages/append-queries.ts.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { agents, conversationEvents, conversations } from "../db/schema/index.ts";
import type { Actor, Conversation, EventType } from "./model.ts";

export async function findConversation(db: Db, id: string): Promise<Conversation | undefined> {
  const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
  return row;
}

/** The row, locked until the transaction ends: every state change of one conversation queues here. */
export async function lockConversation(tx: Db, id: string): Promise<Conversation | undefined> {
  const [row] = await tx.select().from(conversations).where(eq(conversations.id, id)).for("update");
  return row;
}

/** The contact's conversation, locked; one round trip for the customer's every message. */
export async function lockByContact(tx: Db, inboxId: string, contactId: string): Promise<Conversation | undefined> {
  const [row] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.inboxId, inboxId), eq(conversations.contactId, contactId)))
    .for("update");
  return row;
}

export async function findByContact(db: Db, inboxId: string, contactId: string): Promise<Conversation | undefined> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.inboxId, inboxId), eq(conversations.contactId, contactId)));
  return row;
}

/** The conversations of many (inbox, contact) pairs in one statement, by the (inbox_id, contact_id) key. */
export async function findByContacts(db: Db, pairs: [inboxId: string, contactId: string][]): Promise<Conversation[]> {
  if (!pairs.length) return [];
  const array = (values: string[]) => `{${values.join(",")}}`;
  return db
    .select()
    .from(conversations)
    .where(sql`(${conversations.inboxId}, ${conversations.contactId}) in (select * from unnest(${array(pairs.map((p) => p[0]))}::uuid[], ${array(pairs.map((p) => p[1]))}::uuid[]))`);
}

/**
 * Creates the contact's conversation unless a racing request (a second tab) already did; either
 * way the one conversation comes back, and `created` says whether this call made it.
 */
export async function insertConversationOnce(
  tx: Db,
  values: typeof conversations.$inferInsert,
): Promise<{ conversation: Conversation; created: boolean }> {
  const [inserted] = await tx.insert(conversations).values(values).onConflictDoNothing().returning();
  if (inserted) return { conversation: inserted, created: true };
  const existing = await findByContact(tx, values.inboxId, values.contactId);
  if (!existing) throw new Error("conversation vanished while being created");
  return { conversation: existing, created: false };
}

export async function updateConversation(tx: Db, id: string, values: Partial<typeof conversations.$inferInsert>): Promise<Conversation> {
  const [row] = await tx.update(conversations).set(values).where(eq(conversations.id, id)).returning();
  return row!;
}

/**
 * An event at `at`, the instant the verb stamped its change with (never the database's clock: an
 * interval from a conversation's column to its event must not come out negative or skewed).
 * `startedAt` is the start of the interval the event ends (see the schema), null for most.
 */
export async function insertEvent(
  tx: Db,
  e: { conversationId: string; type: EventType; actor: Actor; at: Date; data?: Record<string, unknown>; startedAt?: Date | null },
) {
  const [row] = await tx.insert(conversationEvents).values({
    conversationId: e.conversationId,
    type: e.type,
    actorType: e.actor.type,
    actorAgentId: e.actor.type === "agent" ? e.actor.id : null,
    data: e.data ?? {},
    startedAt: e.startedAt ?? null,
    createdAt: e.at,
  }).returning({ id: conversationEvents.id, createdAt: conversationEvents.createdAt });
  return row!;
}

/** Who has the conversation and in which state: the events that change it (a rating or a snooze does not). */
const OWNERSHIP_EVENTS: EventType[] = ["created", "queued", "claimed", "assigned", "unassigned", "closed", "reopened"];

/** The newest event that changed who has the conversation, with what it recorded. */
export async function latestOwnershipEvent(tx: Db, conversationId: string) {
  const [row] = await tx
    .select({ id: conversationEvents.id, type: conversationEvents.type, data: conversationEvents.data })
    .from(conversationEvents)
    .where(and(eq(conversationEvents.conversationId, conversationId), inArray(conversationEvents.type, OWNERSHIP_EVENTS)))
    .orderBy(desc(conversationEvents.createdAt), desc(conversationEvents.id))
    .limit(1);
  return row;
}

export async function eventsOf(db: Db, conversationId: string) {
  return db
    .select()
    .from(conversationEvents)
    .where(eq(conversationEvents.conversationId, conversationId))
    .orderBy(conversationEvents.createdAt, conversationEvents.id);
}

/** Raises a read receipt, never lowers it, and never past the newest message. */
export async function raiseReadSeq(db: Db, id: string, side: "customer" | "agent", seq: number): Promise<number | null> {
  const column = side === "customer" ? conversations.customerReadSeq : conversations.agentReadSeq;
  const [row] = await db
    .update(conversations)
    .set({ [side === "customer" ? "customerReadSeq" : "agentReadSeq"]: sql`least(${seq}, ${conversations.lastSeq})` })
    .where(and(eq(conversations.id, id), sql`${column} < least(${seq}, ${conversations.lastSeq})`))
    .returning({ seq: column });
  return row?.seq ?? null;
}

/** The name of an agent, deactivated or not (who took a conversation, who wrote a message). */
export async function agentName(db: Db, id: string): Promise<string | null> {
  const [row] = await db.select({ name: agents.name }).from(agents).where(eq(agents.id, id));
  return row?.name ?? null;
}

export async function activeAgent(db: Db, id: string) {
  const [row] = await db
    .select({ id: agents.id, name: agents.name })
    .from(agents)
    .where(and(eq(agents.id, id), sql`${agents.deactivatedAt} is null`));
  return row;
}

/** Whether there is such a conversation (a route's 404 before anything else is read). */
export async function conversationExists(db: Db, conversationId: string): Promise<boolean> {
  const [row] = await db.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, conversationId));
  return row !== undefined;
}
