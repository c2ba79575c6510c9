import { and, desc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import type { Message } from "../messages/model.ts";
import { recentMessagesOf } from "../messages/queries.ts";
import { agents, contacts, conversationEvents, conversations, inboxes, messages } from "../db/schema/index.ts";
import type { Actor, Conversation, ConversationSummary, EventType, ListCursor, ListRow, Tab } from "./model.ts";

export async function findConversation(db: Db, id: string): Promise<Conversation | undefined> {
  const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
  return row;
}

/** The row, locked until the transaction ends: every state change of one conversation queues here. */
export async function lockConversation(tx: Db, id: string): Promise<Conversation | undefined> {
  const [row] = await tx.select().from(conversations).where(eq(conversations.id, id)).for("update");
  return row;
}

export type ConversationRef = Pick<Conversation, "id" | "status" | "assigneeId" | "closedAt">;

export interface FastCustomerMessage {
  inboxId: string;
  contactId: string;
  /** The id the message gets if it is stored now; also how its result is found in a batch. */
  id: string;
  clientId: string;
  body: string;
  createdAt: Date;
}

export interface FastAppendResult {
  created: boolean;
  message: Message;
  conversation: ConversationRef;
}

/**
 * The common case of customers' messages in one statement (one round trip, one implicit
 * transaction, one WAL flush for the whole batch): each conversation is waiting or with an agent,
 * so nothing but the message changes. Row locks (taken in (inbox, contact) order, so two batches
 * never deadlock), the retry check, the next seq and the insert happen together. A copy racing past the
 * retry check violates the unique clientId index, which aborts the whole statement, so no seq is
 * burned. The batch must hold at most one message per contact. The map has no entry for a message
 * whose conversation needs the full path (none yet, the bot, closed).
 */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function appendCustomerMessagesFast(db: Db, batch: FastCustomerMessage[]): Promise<Map<string, FastAppendResult>> {
  const ordered = [...batch].sort((a, b) => compare(a.inboxId, b.inboxId) || compare(a.contactId, b.contactId));
  const input = JSON.stringify(
    ordered.map((m) => ({
      inbox_id: m.inboxId,
      contact_id: m.contactId,
      message_id: m.id,
      client_id: m.clientId,
      body: m.body,
      created_at: m.createdAt.toISOString(),
    })),
  );
  const result = await db.execute(sql`
    with input as (
      select * from jsonb_to_recordset(${input}::jsonb)
        as t(inbox_id uuid, contact_id uuid, message_id uuid, client_id text, body text, created_at timestamptz)
    ),
    conv as (
      select c.id, c.status, c.assignee_id, input.message_id, input.client_id, input.body, input.created_at
      from input cross join lateral (
        -- A lookup by the unique key per message (the limit keeps the planner from turning this
        -- into a scan of every open conversation), locked in the input's order.
        select id, status, assignee_id from ${conversations}
        where inbox_id = input.inbox_id and contact_id = input.contact_id and status in ('queued', 'assigned')
        limit 1
        for update
      ) c
    ),
    existing as (
      select msg.*, conv.message_id as proposed_id
      from conv cross join lateral (
        select id, conversation_id, seq, client_id, sender, agent_id, body, created_at from ${messages}
        where conversation_id = conv.id and client_id = conv.client_id
        limit 1
      ) msg
    ),
    next as (
      update ${conversations} c
      set last_seq = c.last_seq + 1, last_activity_at = conv.created_at, last_customer_message_at = conv.created_at
      from conv
      where c.id = conv.id and not exists (select 1 from existing where existing.conversation_id = conv.id)
      returning c.id, c.last_seq
    ),
    ins as (
      insert into ${messages} (id, conversation_id, seq, client_id, sender, body, created_at)
      select conv.message_id, next.id, next.last_seq, conv.client_id, 'customer', conv.body, conv.created_at
      from next join conv on conv.id = next.id
      returning id, conversation_id, seq, client_id, sender, agent_id, body, created_at
    )
    select true as created, ins.*, ins.id as proposed_id, conv.status, conv.assignee_id from ins join conv on conv.id = ins.conversation_id
    union all
    select false, existing.*, conv.status, conv.assignee_id from existing join conv on conv.message_id = existing.proposed_id`);
  const results = new Map<string, FastAppendResult>();
  for (const row of rowsOf<Record<string, unknown>>(result)) {
    results.set(String(row.proposed_id), {
      created: row.created === true || row.created === "t",
      message: {
        id: String(row.id),
        conversationId: String(row.conversation_id),
        seq: Number(row.seq),
        clientId: row.client_id === null ? null : String(row.client_id),
        sender: row.sender as Message["sender"],
        agentId: row.agent_id === null ? null : String(row.agent_id),
        body: String(row.body),
        createdAt: new Date(row.created_at as string | Date),
      },
      conversation: {
        id: String(row.conversation_id),
        status: row.status as Conversation["status"],
        assigneeId: row.assignee_id === null ? null : String(row.assignee_id),
        closedAt: null,
      },
    });
  }
  return results;
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

export async function insertEvent(tx: Db, conversationId: string, type: EventType, actor: Actor, data: Record<string, unknown> = {}) {
  const [row] = await tx.insert(conversationEvents).values({
    conversationId,
    type,
    actorType: actor.type,
    actorAgentId: actor.type === "agent" ? actor.id : null,
    data,
  }).returning({ id: conversationEvents.id, createdAt: conversationEvents.createdAt });
  return row!;
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

// --- lists ----------------------------------------------------------------------------------

const assignee = alias(agents, "assignee");
const lastMessage = alias(messages, "last_message");
const lastAuthor = alias(agents, "last_author");

/** 1-based place among queued conversations, oldest wait first; null when not queued. */
const queuePositionSql = sql<number | null>`case when ${conversations.status} = 'queued' then (
  select count(*)::int + 1 from ${conversations} q
  where q.status = 'queued' and (q.queued_at, q.id) < (${conversations.queuedAt}, ${conversations.id})
) end`;

/**
 * The cursor keeps microseconds: JavaScript dates stop at milliseconds, and a truncated cursor
 * would skip rows whose activity falls within the same millisecond.
 */
const activityMicrosSql = sql<string>`(extract(epoch from ${conversations.lastActivityAt}) * 1000000)::bigint::text`;

const summaryColumns = {
  id: conversations.id,
  status: conversations.status,
  contactId: conversations.contactId,
  contactName: contacts.name,
  contactEmail: contacts.email,
  assigneeId: conversations.assigneeId,
  assigneeName: assignee.name,
  lastActivityAt: conversations.lastActivityAt,
  lastCustomerMessageAt: conversations.lastCustomerMessageAt,
  lastAgentMessageAt: conversations.lastAgentMessageAt,
  lastSeq: conversations.lastSeq,
  customerReadSeq: conversations.customerReadSeq,
  agentReadSeq: conversations.agentReadSeq,
  offline: conversations.offline,
  queuedAt: conversations.queuedAt,
  queuePosition: queuePositionSql,
  lastMessageBody: lastMessage.body,
  lastMessageSender: lastMessage.sender,
  lastMessageAgentId: lastMessage.agentId,
  lastMessageAgentName: lastAuthor.name,
};

/** The summaries (ConversationSummary), with `extra` columns beside them (the list's cursor). */
function summaries<E extends Record<string, SQL>>(db: Db, extra: E) {
  return db
    .select({ ...summaryColumns, ...extra })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoin(assignee, eq(assignee.id, conversations.assigneeId))
    .leftJoin(lastMessage, and(eq(lastMessage.conversationId, conversations.id), eq(lastMessage.seq, conversations.lastSeq)))
    .leftJoin(lastAuthor, eq(lastAuthor.id, lastMessage.agentId));
}

function tabFilter(tab: Tab, agentId: string): SQL {
  switch (tab) {
    case "queue":
      return eq(conversations.status, "queued");
    case "mine":
      return and(eq(conversations.assigneeId, agentId), ne(conversations.status, "closed"))!;
    case "open":
      return ne(conversations.status, "closed");
    case "closed":
      return eq(conversations.status, "closed");
  }
}

/** `value` as a literal ILIKE pattern: its own %, _ and \\ match themselves, anywhere in the text. */
function containsPattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Search by the contact's name or email or the text of any message. No index serves `ILIKE
 * '%x%'` (a pg_trgm GIN index on contacts.name/email and messages.body would); the page LIMIT
 * bounds the rows returned, and the scan stops as soon as a page is full.
 */
function searchFilter(text: string): SQL {
  const pattern = containsPattern(text);
  return sql`(${contacts.name} ilike ${pattern} or ${contacts.email} ilike ${pattern} or exists (
    select 1 from ${messages} m where m.conversation_id = ${conversations.id} and m.body ilike ${pattern}
  ))`;
}

/** One page of a tab, newest activity first, each row with its cursor position (`activityMicros`). */
export async function listSummaries(
  db: Db,
  tab: Tab,
  agentId: string,
  cursor: ListCursor | null,
  limit: number,
  search: string | null = null,
): Promise<(ConversationSummary & { activityMicros: string })[]> {
  const after = cursor
    ? sql`(${conversations.lastActivityAt}, ${conversations.id}) < (timestamptz 'epoch' + ${cursor.micros}::bigint * interval '1 microsecond', ${cursor.id}::uuid)`
    : undefined;
  return summaries(db, { activityMicros: activityMicrosSql })
    .where(and(tabFilter(tab, agentId), after, search ? searchFilter(search) : undefined))
    .orderBy(desc(conversations.lastActivityAt), desc(conversations.id))
    .limit(limit);
}

/** Rows for the live push; queued ones carry their last messages, as the list renders them. */
export async function summariesOf(db: Db, ids: string[]): Promise<ListRow[]> {
  return withRecentMessages(db, await summaries(db, {}).where(inArray(conversations.id, ids)));
}

/** Messages a queued row previews (the handoff queue's transcript). */
const QUEUE_PREVIEW_MESSAGES = 3;

/** Attaches the last messages to the queued rows, with one statement for all of them. */
export async function withRecentMessages(db: Db, rows: ConversationSummary[]): Promise<ListRow[]> {
  const queued = rows.filter((r) => r.status === "queued").map((r) => r.id);
  if (!queued.length) return rows;
  const recent = await recentMessagesOf(db, queued, QUEUE_PREVIEW_MESSAGES);
  const byConversation = Map.groupBy(recent, (m) => m.conversationId);
  return rows.map((r) => (r.status === "queued" ? { ...r, recent: byConversation.get(r.id) ?? [] } : r));
}

export async function summaryOf(db: Db, id: string): Promise<ConversationSummary | undefined> {
  const [row] = await summaries(db, {}).where(eq(conversations.id, id));
  return row;
}

/** Counts for the tab bar and the page title in one statement, each counting no further than `cap`. */
export async function countTabs(db: Db, agentId: string, cap: number): Promise<Record<Tab | "attention", number>> {
  const capped = (filter: SQL) => sql<number>`(select count(*)::int from (select 1 from ${conversations} where ${filter} limit ${cap + 1}) s)`;
  // Needs attention (model.needsAttention) among what this agent should answer: the queue and their own.
  const attention = sql`${conversations.status} in ('queued', 'assigned')
    and (${conversations.assigneeId} is null or ${conversations.assigneeId} = ${agentId})
    and ${conversations.lastCustomerMessageAt} is not null
    and (${conversations.lastAgentMessageAt} is null or ${conversations.lastCustomerMessageAt} > ${conversations.lastAgentMessageAt})`;
  const result = await db.execute(sql`select
    ${capped(tabFilter("queue", agentId))} as queue,
    ${capped(tabFilter("mine", agentId))} as mine,
    ${capped(tabFilter("open", agentId))} as open,
    ${capped(tabFilter("closed", agentId))} as closed,
    ${capped(attention)} as attention`);
  const [row] = rowsOf<Record<string, unknown>>(result);
  const n = (key: string) => Number(row?.[key] ?? 0);
  return { queue: n("queue"), mine: n("mine"), open: n("open"), closed: n("closed"), attention: n("attention") };
}

/** The queue in order (oldest wait first), for telling each waiting customer their place. */
export async function queueOrder(db: Db, limit: number): Promise<{ id: string; contactId: string }[]> {
  return db
    .select({ id: conversations.id, contactId: conversations.contactId })
    .from(conversations)
    .where(eq(conversations.status, "queued"))
    .orderBy(conversations.queuedAt, conversations.id)
    .limit(limit);
}

// --- the open conversation's pane -------------------------------------------------------------
// What a pane reads beyond the summary and the latest messages: the events shown among the
// messages, and the contact panel. Four statements per pane, however long the conversation is.

/** Events older than the window of messages shown are left out; at most this many are shown. */
const PANE_EVENT_LIMIT = 200;

export interface PaneEvent {
  id: string;
  type: EventType;
  actorType: Actor["type"];
  actorName: string | null;
  targetName: string | null;
  createdAt: Date;
}

const eventActor = alias(agents, "actor");
const eventTarget = alias(agents, "target");

/**
 * The conversation's events from the oldest message the pane shows on (all of them when the pane
 * shows every message), oldest first, with who did it and, for an assignment, to whom.
 */
export async function paneEvents(db: Db, conversationId: string, messageLimit: number): Promise<PaneEvent[]> {
  // The (limit + 1)th newest message: events before it belong to messages the pane does not show.
  const windowStart = sql`coalesce((
    select m.created_at from ${messages} m where m.conversation_id = ${conversationId}
    order by m.seq desc offset ${messageLimit} limit 1
  ), '-infinity'::timestamptz)`;
  const rows = await db
    .select({
      id: conversationEvents.id,
      type: conversationEvents.type,
      actorType: conversationEvents.actorType,
      actorName: eventActor.name,
      targetName: eventTarget.name,
      createdAt: conversationEvents.createdAt,
    })
    .from(conversationEvents)
    .leftJoin(eventActor, eq(eventActor.id, conversationEvents.actorAgentId))
    .leftJoin(eventTarget, sql`${eventTarget.id}::text = ${conversationEvents.data}->>'to'`)
    .where(and(eq(conversationEvents.conversationId, conversationId), sql`${conversationEvents.createdAt} >= ${windowStart}`))
    .orderBy(desc(conversationEvents.createdAt), desc(conversationEvents.id))
    .limit(PANE_EVENT_LIMIT);
  return rows.reverse().map((r) => ({ ...r, type: r.type as EventType }));
}

export interface AgentOption {
  id: string;
  name: string;
}

export interface ContactDetails {
  id: string;
  name: string | null;
  email: string | null;
  /** Set only once the embedding site's identity HMAC verified it. */
  externalId: string | null;
  attributes: Record<string, string | number | boolean | null>;
  firstSeenAt: Date;
  lastSeenAt: Date;
  inboxName: string;
  /** Active agents, by name: whom the conversation can be assigned to. */
  agents: AgentOption[];
}

/** The contact of a conversation, its inbox, and the active agents, in one statement. */
export async function paneContact(db: Db, conversationId: string): Promise<ContactDetails | undefined> {
  const [row] = await db
    .select({
      id: contacts.id,
      name: contacts.name,
      email: contacts.email,
      externalId: contacts.externalId,
      attributes: contacts.attributes,
      firstSeenAt: contacts.createdAt,
      lastSeenAt: contacts.lastSeenAt,
      inboxName: inboxes.name,
      // Both drivers (PGlite, postgres.js) parse json.
      agents: sql<AgentOption[]>`(
        select coalesce(json_agg(json_build_object('id', a.id, 'name', a.name) order by lower(a.name), a.id), '[]'::json)
        from ${agents} a where a.deactivated_at is null
      )`,
    })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
    .where(eq(conversations.id, conversationId));
  return row && { ...row, attributes: row.attributes ?? {} };
}
