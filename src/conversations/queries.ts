import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import type { Message, MessageWithAuthor, Sender } from "../messages/model.ts";
import { agents, contacts, conversationEvents, conversations, inboxes, messages, tickets } from "../db/schema/index.ts";
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
// A list row (ConversationSummary) costs one statement however many rows are read: first the
// conversations themselves (a page of a tab, the rows a push names, one conversation) by an
// ordered index scan, then for just those rows their contact, assignee and last message by key,
// the queued ones' places from one scan of the queue, and, for list rows, the queued ones' last
// messages. The page is picked before anything is joined, so no join can change its plan.
//
// The statement is SQL text rather than drizzle's builder: for the busiest page of the inbox the
// builder cost more JavaScript than PostgreSQL spent running it (about 0.8 ms for a page of 26
// rows: its alias proxies, when building the statement and again for every field of every row).

/**
 * The summaries of the conversations `where` picks (a condition on `conversations`), newest
 * activity first, at most `limit` of them, with `extra` columns (SQL on `picked`, the
 * conversation row, and `c`, its contact).
 *
 * Newest first is spelled DESC NULLS LAST because that is how drizzle-kit built the indexes on
 * (last_activity_at, id) (its default for `.desc()`): a plain DESC means NULLS FIRST, which those
 * indexes cannot deliver, and PostgreSQL then reads and sorts the whole tab (every closed
 * conversation) for each page. Both columns are NOT NULL, so the order of the rows is the same.
 *
 * The LIMIT is written into the statement, not sent as a parameter (as the statuses, see
 * tabFilter): statements are prepared, and the generic plan PostgreSQL settles on after five runs
 * guesses a parameter's LIMIT at a tenth of the rows (for the closed tab it then joined 9,000
 * rows to show 26).
 *
 * Queue places (1-based, oldest wait first) come from one scan of the queue that stops at the last
 * queued row picked: a page costs what its longest wait costs, not that once per row.
 *
 * `head` (columns of their own) comes once with every row, and alone in a row of nulls when
 * nothing is picked: the inbox page reads its tab counts with its rows.
 */
function summaryStatement(where: SQL, limit: number | undefined, extra?: SQL, head?: SQL): SQL {
  const joined = sql`picked
    join ${contacts} c on c.id = picked.contact_id
    left join ${agents} assignee on assignee.id = picked.assignee_id
    left join queue_place on queue_place.id = picked.id
    left join ${messages} last_message on last_message.conversation_id = picked.id and last_message.seq = picked.last_seq
    left join ${agents} last_author on last_author.id = last_message.agent_id`;
  return sql`with picked as (
    select * from ${conversations} where ${where}
    order by last_activity_at desc nulls last, id desc nulls last
    ${limit === undefined ? sql`` : sql.raw(`limit ${Math.max(0, Math.trunc(limit))}`)}
  ),
  queue_place as (
    select q.id, (row_number() over (order by q.queued_at, q.id))::int as position
    from ${conversations} q
    where q.status = 'queued' and (q.queued_at, q.id) <= (
      select queued_at, id from picked where status = 'queued' and queued_at is not null order by queued_at desc, id desc limit 1
    )
  )
  select ${SUMMARY_COLUMNS}${extra ? sql`, ${extra}` : sql``}${head ? sql`, head.*` : sql``}
  from ${head ? sql`(select ${head}) head left join (${joined}) on true` : joined}
  order by picked.last_activity_at desc nulls last, picked.id desc nulls last`;
}

type Row = Record<string, unknown>;

/**
 * A time as milliseconds since the epoch (a float8, microseconds kept as the fraction). Raw
 * statements would return a timestamptz as text on both drivers (drizzle turns their timestamp
 * parsers off); formatting it (PostgreSQL) and parsing it back (JavaScript, a tenth of a page's
 * mapping) cost several times what a number does. The queue previews built as JSON ran twice as
 * fast with numbers.
 */
const epochMs = (time: SQL) => sql`(date_part('epoch', ${time}) * 1000)`;

/** What summaryFrom reads, named as ConversationSummary names it. */
const SUMMARY_COLUMNS = sql`picked.id, picked.status, picked.contact_id as "contactId", c.name as "contactName", c.email as "contactEmail",
  picked.assignee_id as "assigneeId", assignee.name as "assigneeName", ${epochMs(sql`picked.last_activity_at`)} as "lastActivityAt",
  ${epochMs(sql`picked.last_customer_message_at`)} as "lastCustomerMessageAt", ${epochMs(sql`picked.last_agent_message_at`)} as "lastAgentMessageAt",
  picked.last_seq as "lastSeq", picked.customer_read_seq as "customerReadSeq", picked.agent_read_seq as "agentReadSeq",
  picked.offline, ${epochMs(sql`picked.queued_at`)} as "queuedAt", queue_place.position as "queuePosition",
  last_message.body as "lastMessageBody", last_message.sender as "lastMessageSender",
  last_message.agent_id as "lastMessageAgentId", last_author.name as "lastMessageAgentName"`;

const dateOf = (value: unknown): Date => (value instanceof Date ? value : new Date(typeof value === "number" ? value : Number(value)));
const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : dateOf(value));
const textOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function summaryFrom(r: Row): ConversationSummary {
  return {
    id: String(r.id),
    status: r.status as ConversationSummary["status"],
    contactId: String(r.contactId),
    contactName: textOrNull(r.contactName),
    contactEmail: textOrNull(r.contactEmail),
    assigneeId: textOrNull(r.assigneeId),
    assigneeName: textOrNull(r.assigneeName),
    lastActivityAt: dateOf(r.lastActivityAt),
    lastCustomerMessageAt: dateOrNull(r.lastCustomerMessageAt),
    lastAgentMessageAt: dateOrNull(r.lastAgentMessageAt),
    lastSeq: Number(r.lastSeq),
    customerReadSeq: Number(r.customerReadSeq),
    agentReadSeq: Number(r.agentReadSeq),
    offline: r.offline === true || r.offline === "t",
    queuedAt: dateOrNull(r.queuedAt),
    queuePosition: r.queuePosition === null || r.queuePosition === undefined ? null : Number(r.queuePosition),
    lastMessageBody: textOrNull(r.lastMessageBody),
    lastMessageSender: (r.lastMessageSender ?? null) as Sender | null,
    lastMessageAgentId: textOrNull(r.lastMessageAgentId),
    lastMessageAgentName: textOrNull(r.lastMessageAgentName),
  };
}

async function summaryRows(db: Db, where: SQL, limit: number | undefined, extra?: SQL, head?: SQL): Promise<Row[]> {
  return rowsOf<Row>(await db.execute(summaryStatement(where, limit, extra, head)));
}

/** Messages a queued row previews (the handoff queue's transcript). */
const QUEUE_PREVIEW_MESSAGES = 3;

/** A queued row's last messages (null for other rows), oldest first, as JSON: one backward index scan each. */
const previewSql = sql`case when picked.status = 'queued' then (
    select coalesce(json_agg(json_build_object('seq', r.seq, 'sender', r.sender, 'agentName', r.agent_name, 'body', r.body, 'createdAt', r.created_at) order by r.seq), '[]'::json)
    from (
      select m.seq, m.sender, (select a.name from ${agents} a where a.id = m.agent_id) as agent_name, m.body, ${epochMs(sql`m.created_at`)} as created_at
      from ${messages} m
      where m.conversation_id = picked.id
      order by m.seq desc
      limit ${sql.raw(String(QUEUE_PREVIEW_MESSAGES))}
    ) r
  ) end as recent`;

type PreviewJson = { seq: number; sender: Sender; agentName: string | null; body: string; createdAt: number };

/** A list row: the summary, and for a queued row its last messages. */
function listRowFrom(r: Row): ListRow {
  const summary = summaryFrom(r);
  const recent = r.recent as PreviewJson[] | null;
  if (!recent) return summary;
  return { ...summary, recent: recent.map((m) => ({ ...m, conversationId: summary.id, createdAt: dateOf(m.createdAt) })) };
}

/**
 * Statuses are SQL literals, not parameters (as the limits, see summaryStatement): the generic plan
 * of a prepared statement can use the partial index (status <> 'closed') and estimate how many
 * rows a status has only when it sees the value.
 */
function tabFilter(tab: Tab, agentId: string): SQL {
  switch (tab) {
    case "queue":
      return sql`${conversations.status} = 'queued'`;
    case "mine":
      return sql`${conversations.assigneeId} = ${agentId} and ${conversations.status} <> 'closed'`;
    case "open":
      return sql`${conversations.status} <> 'closed'`;
    case "closed":
      return sql`${conversations.status} = 'closed'`;
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
  return sql`(exists (
    select 1 from ${contacts} c where c.id = ${conversations.contactId} and (c.name ilike ${pattern} or c.email ilike ${pattern})
  ) or exists (
    select 1 from ${messages} m where m.conversation_id = ${conversations.id} and m.body ilike ${pattern}
  ))`;
}

export type PageRow = ListRow & { activityMicros: string };

/** What picks a page of a tab, and the columns a page's rows have beside the summary. */
function pageOf(tab: Tab, agentId: string, cursor: ListCursor | null, search: string | null) {
  const after = cursor
    ? sql`(${conversations.lastActivityAt}, ${conversations.id}) < (timestamptz 'epoch' + ${cursor.micros}::bigint * interval '1 microsecond', ${cursor.id}::uuid)`
    : undefined;
  return {
    where: and(tabFilter(tab, agentId), after, search ? searchFilter(search) : undefined)!,
    // Microseconds: JavaScript dates stop at milliseconds, and a truncated cursor would skip rows
    // whose activity falls within the same millisecond.
    extra: sql`(extract(epoch from picked.last_activity_at) * 1000000)::bigint::text as "activityMicros", ${previewSql}`,
  };
}

const pageRowFrom = (r: Row): PageRow => ({ ...listRowFrom(r), activityMicros: String(r.activityMicros) });

/** One page of a tab, newest activity first, each row with its cursor position (`activityMicros`). */
export async function listSummaries(
  db: Db,
  tab: Tab,
  agentId: string,
  cursor: ListCursor | null,
  limit: number,
  search: string | null = null,
): Promise<PageRow[]> {
  const { where, extra } = pageOf(tab, agentId, cursor, search);
  return (await summaryRows(db, where, limit, extra)).map(pageRowFrom);
}

/** A page of a tab (as listSummaries) and the tab counts (as countTabs), in one statement. */
export async function listSummariesAndCounts(
  db: Db,
  tab: Tab,
  agentId: string,
  cursor: ListCursor | null,
  limit: number,
  search: string | null,
  cap: number,
): Promise<{ rows: PageRow[]; counts: TabCounts }> {
  const { where, extra } = pageOf(tab, agentId, cursor, search);
  const rows = await summaryRows(db, where, limit, extra, countColumns(agentId, cap));
  return { rows: rows.filter((r) => r.id !== null).map(pageRowFrom), counts: countsFrom(rows[0]) };
}

/**
 * Rows for the live push; queued ones carry their last messages, as the list renders them. The
 * ids go as one array parameter, so that every push runs the same prepared statement (an IN list
 * of 200 parameters would be planned anew each time).
 */
export async function summariesOf(db: Db, ids: string[]): Promise<ListRow[]> {
  if (!ids.length) return [];
  const rows = await summaryRows(db, sql`${conversations.id} = any(${`{${ids.join(",")}}`}::uuid[])`, undefined, previewSql);
  return rows.map(listRowFrom);
}

export async function summaryOf(db: Db, id: string): Promise<ConversationSummary | undefined> {
  const [row] = await summaryRows(db, eq(conversations.id, id), 1);
  return row && summaryFrom(row);
}

export type TabCounts = Record<Tab | "attention", number>;

/** The tab counts as columns (queue, mine, open, closed, attention), each counting no further than `cap`. */
function countColumns(agentId: string, cap: number): SQL {
  const capped = (filter: SQL) => sql<number>`(select count(*)::int from (select 1 from ${conversations} where ${filter} limit ${sql.raw(String(Math.trunc(cap) + 1))}) s)`;
  // Needs attention (model.needsAttention) among what this agent should answer: the queue and their own.
  // "Queued or assigned" is spelled "neither closed nor with the bot" so that it is read from the
  // "Mine" index (open conversations by assignee) alone: as `status in (...)` PostgreSQL combined
  // it with a second index, and under a stream of messages every index on open conversations holds
  // an entry for each past version of each row until vacuum (100,000 for 7,000 rows in the
  // benchmark): the count took 11 ms instead of 0.3.
  const attention = sql`${conversations.status} <> 'closed' and ${conversations.status} <> 'bot'
    and (${conversations.assigneeId} is null or ${conversations.assigneeId} = ${agentId})
    and ${conversations.lastCustomerMessageAt} is not null
    and (${conversations.lastAgentMessageAt} is null or ${conversations.lastCustomerMessageAt} > ${conversations.lastAgentMessageAt})`;
  return sql`${capped(tabFilter("queue", agentId))} as queue,
    ${capped(tabFilter("mine", agentId))} as mine,
    ${capped(tabFilter("open", agentId))} as open,
    ${capped(tabFilter("closed", agentId))} as closed,
    ${capped(attention)} as attention`;
}

function countsFrom(row: Row | undefined): TabCounts {
  const n = (key: string) => Number(row?.[key] ?? 0);
  return { queue: n("queue"), mine: n("mine"), open: n("open"), closed: n("closed"), attention: n("attention") };
}

/** Counts for the tab bar and the page title in one statement, each counting no further than `cap`. */
export async function countTabs(db: Db, agentId: string, cap: number): Promise<TabCounts> {
  return countsFrom(rowsOf<Row>(await db.execute(sql`select ${countColumns(agentId, cap)}`))[0]);
}

/** The queue in order (oldest wait first), for telling each waiting customer their place. */
export async function queueOrder(db: Db, limit: number): Promise<{ id: string; contactId: string }[]> {
  return db
    .select({ id: conversations.id, contactId: conversations.contactId })
    .from(conversations)
    .where(sql`${conversations.status} = 'queued'`)
    .orderBy(conversations.queuedAt, conversations.id)
    .limit(limit);
}

// --- the open conversation's pane -------------------------------------------------------------
// Everything a pane shows in one statement, however long the conversation is: the header (the
// summary), the latest messages, the events among them, and the contact panel. With the session's
// lookup a conversation's page costs two statements, and one round trip to PostgreSQL after it.

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

export interface AgentOption {
  id: string;
  name: string;
}

export interface ContactDetails {
  id: string;
  name: string | null;
  email: string | null;
  /** The embedding site signed the email (an identity token's claim). */
  emailVerified: boolean;
  /** Set only once the embedding site verified the user (identity HMAC or token). */
  externalId: string | null;
  attributes: Record<string, string | number | boolean | null>;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** The page the widget was last opened on (http or https), and the browser, as the visitor reported them. */
  lastPageUrl: string | null;
  browser: string | null;
  inboxName: string;
  /** Active agents, by name: whom the conversation can be assigned to. */
  agents: AgentOption[];
}

/** Another conversation of the same person: by email in the same inbox, by verified email in any (see earlierColumn). */
export interface EarlierConversation {
  id: string;
  inboxName: string;
  status: ConversationSummary["status"];
  lastActivityAt: Date;
  /** The newest message, for a one-line preview ("" when there is none). */
  preview: string;
  /** How it was matched: an email verified on both sides is the same person; an unverified one only says it is. */
  matchedBy: "verified email" | "email";
}

/** The conversation's ticket: the one not closed, else the latest closed one. */
export interface PaneTicket {
  id: string;
  number: number;
  title: string;
  status: "open" | "pending" | "solved" | "closed";
  priority: "low" | "normal" | "high" | "urgent";
}

/** At most this many earlier conversations are listed beside a conversation, newest first. */
export const EARLIER_LIMIT = 10;

export interface Pane {
  summary: ConversationSummary;
  /** The newest messages, oldest first, with the name of the agent who wrote each. */
  messages: MessageWithAuthor[];
  /** The events from the oldest message shown on (all when every message is shown), oldest first. */
  events: PaneEvent[];
  contact: ContactDetails;
  earlier: EarlierConversation[];
  ticket: PaneTicket | null;
}

type MessageJson = Omit<MessageWithAuthor, "conversationId" | "createdAt"> & { createdAt: number };
type EventJson = Omit<PaneEvent, "createdAt"> & { createdAt: number };
type EarlierJson = Omit<EarlierConversation, "lastActivityAt"> & { lastActivityAt: number };

/**
 * The pane's columns beside the summary (SQL on `picked` and `c`, see summaryStatement). Both
 * drivers (PGlite, postgres.js) parse json and jsonb. The events start at the (limit + 1)th
 * newest message: the ones before it belong to messages the pane does not show.
 */
function paneColumns(messageLimit: number): SQL {
  const limit = sql.raw(String(Math.max(1, Math.trunc(messageLimit))));
  return sql`c.external_id as "externalId", c.email_verified as "emailVerified", c.attributes, c.last_page_url as "lastPageUrl", c.browser, ${epochMs(sql`c.created_at`)} as "firstSeenAt", ${epochMs(sql`c.last_seen_at`)} as "lastSeenAt",
    (select i.name from ${inboxes} i where i.id = picked.inbox_id) as "inboxName",
    (select coalesce(json_agg(json_build_object('id', a.id, 'name', a.name) order by lower(a.name), a.id), '[]'::json)
      from ${agents} a where a.deactivated_at is null) as agents,
    (select coalesce(json_agg(json_build_object('id', m.id, 'seq', m.seq, 'clientId', m.client_id, 'sender', m.sender,
        'agentId', m.agent_id, 'agentName', (select a.name from ${agents} a where a.id = m.agent_id), 'body', m.body,
        'createdAt', ${epochMs(sql`m.created_at`)}) order by m.seq), '[]'::json)
      from (select * from ${messages} m where m.conversation_id = picked.id order by m.seq desc limit ${limit}) m) as messages,
    (select coalesce(json_agg(json_build_object('id', e.id, 'type', e.type, 'actorType', e.actor_type, 'actorName', actor.name,
        'targetName', target.name, 'createdAt', ${epochMs(sql`e.created_at`)}) order by e.created_at, e.id), '[]'::json)
      from (
        select * from ${conversationEvents} e
        where e.conversation_id = picked.id and e.created_at >= coalesce((
          select m.created_at from ${messages} m where m.conversation_id = picked.id order by m.seq desc offset ${limit} limit 1
        ), '-infinity'::timestamptz)
        order by e.created_at desc, e.id desc
        limit ${sql.raw(String(PANE_EVENT_LIMIT))}
      ) e
      left join ${agents} actor on actor.id = e.actor_agent_id
      left join ${agents} target on target.id::text = e.data->>'to') as events,
    ${earlierColumn},
    (select json_build_object('id', t.id, 'number', t.number, 'title', t.title, 'status', t.status, 'priority', t.priority)
      from ${tickets} t where t.conversation_id = picked.id
      order by t.status = 'closed', t.updated_at desc limit 1) as ticket`;
}

/**
 * The same person's other conversations. Each inbox is its own website with its own users, so a
 * user id means nothing outside its inbox: within the conversation's inbox, contacts with the same
 * email (any case; one the visitor typed is not proof, so the panel says how each was matched); in
 * other inboxes only a contact whose email is verified (signed by that site, see
 * src/widget/identity.ts) when this contact's email is verified too. Each side is one probe of its
 * index (contacts_inbox_email_lower_idx, contacts_verified_email_idx), and each contact found one
 * probe of the conversations' (inbox_id, contact_id) index.
 */
const earlierColumn = sql`(select coalesce(json_agg(json_build_object('id', o.id, 'inboxName', oi.name, 'status', o.status,
      'lastActivityAt', ${epochMs(sql`o.last_activity_at`)}, 'matchedBy', o.matched_by,
      'preview', coalesce((select m.body from ${messages} m where m.conversation_id = o.id order by m.seq desc limit 1), ''))
      order by o.last_activity_at desc, o.id desc), '[]'::json)
    from (
      select o.id, o.inbox_id, o.status, o.last_activity_at, same.matched_by
      from (
        select x.id, x.inbox_id, case when c.email_verified and x.email_verified then 'verified email' else 'email' end as matched_by
        from ${contacts} x
        where c.email is not null and x.inbox_id = c.inbox_id and lower(x.email) = lower(c.email)
        union all
        select x.id, x.inbox_id, 'verified email' from ${contacts} x
        where c.email_verified and x.email_verified and lower(x.email) = lower(c.email) and x.inbox_id <> c.inbox_id
      ) same
      -- By (inbox_id, contact_id): the continuity index; there is none on contact_id alone.
      join ${conversations} o on o.inbox_id = same.inbox_id and o.contact_id = same.id
      where o.id <> picked.id
      order by o.last_activity_at desc, o.id desc
      limit ${sql.raw(String(EARLIER_LIMIT))}
    ) o join ${inboxes} oi on oi.id = o.inbox_id) as earlier`;

/** What an open conversation shows, its newest `messageLimit` messages with the events among them. */
export async function paneOf(db: Db, conversationId: string, messageLimit: number): Promise<Pane | undefined> {
  const [row] = await summaryRows(db, eq(conversations.id, conversationId), 1, paneColumns(messageLimit));
  if (!row) return undefined;
  const summary = summaryFrom(row);
  const contact: ContactDetails = {
    id: summary.contactId,
    name: summary.contactName,
    email: summary.contactEmail,
    emailVerified: row.emailVerified === true || row.emailVerified === "t",
    externalId: textOrNull(row.externalId),
    attributes: (row.attributes ?? {}) as ContactDetails["attributes"],
    lastPageUrl: textOrNull(row.lastPageUrl),
    browser: textOrNull(row.browser),
    firstSeenAt: dateOf(row.firstSeenAt),
    lastSeenAt: dateOf(row.lastSeenAt),
    inboxName: String(row.inboxName),
    agents: row.agents as AgentOption[],
  };
  const messages = (row.messages as MessageJson[]).map((m) => ({ ...m, conversationId: summary.id, createdAt: dateOf(m.createdAt) }));
  const events = (row.events as EventJson[]).map((e) => ({ ...e, createdAt: dateOf(e.createdAt) }));
  const earlier = (row.earlier as EarlierJson[]).map((o) => ({ ...o, lastActivityAt: dateOf(o.lastActivityAt) }));
  return { summary, messages, events, contact, earlier, ticket: (row.ticket as PaneTicket | null) ?? null };
}
