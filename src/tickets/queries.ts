// All SQL of tickets. The list, the ticket page and the new-ticket form each cost one statement,
// written as SQL text (as the inbox's lists are): nested JSON for the parts of a page, times as
// epoch milliseconds (numbers parse faster than timestamps on both drivers), cursor positions as
// microseconds.
import { eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import { agents, contacts, conversations, messages, ticketComments, ticketEvents, tickets } from "../db/schema/index.ts";
import type { MessageWithAuthor } from "../messages/model.ts";
import {
  COUNT_CAP,
  TICKET_PRIORITIES,
  type AgentChoice,
  type ListCursor,
  type ListFilters,
  type Sort,
  type Ticket,
  type TicketPriority,
  type TicketRow,
  type TicketStatus,
} from "./model.ts";
import { numberSearch } from "./model.ts";

type Row = Record<string, unknown>;

const epochMs = (time: SQL) => sql`(date_part('epoch', ${time}) * 1000)`;
const micros = (time: SQL) => sql`(extract(epoch from ${time}) * 1000000)::bigint::text`;
const fromMicros = (value: string) => sql`(timestamptz 'epoch' + ${value}::bigint * interval '1 microsecond')`;

const dateOf = (value: unknown): Date => (value instanceof Date ? value : new Date(typeof value === "number" ? value : Number(value)));
const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : dateOf(value));
const textOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** Active agents first, then by name: the order of every choice of agent. */
const agentChoices = sql`(select coalesce(json_agg(json_build_object('id', a.id, 'name', a.name, 'active', a.deactivated_at is null)
    order by a.deactivated_at is not null, lower(a.name), a.id), '[]'::json) from ${agents} a)`;

// --- the list -------------------------------------------------------------------------------------

/**
 * The filters but the text as conditions on `t` (tickets). Statuses and priorities are SQL
 * literals (checked against the enums before), not parameters: the generic plan of a prepared
 * statement estimates how many rows a status has, and which index serves it, only when it sees
 * the value.
 */
function filterSql(f: ListFilters, agentId: string): SQL {
  const parts: SQL[] = [];
  if (f.status === "unclosed") parts.push(sql`t.status <> 'closed'`);
  else if (f.status !== "any") parts.push(sql.raw(`t.status = '${f.status}'`));
  if (f.priority) parts.push(sql.raw(`t.priority = '${f.priority}'`));
  if (f.assignee === "me") parts.push(sql`t.assignee_id = ${agentId}::uuid`);
  else if (f.assignee === "none") parts.push(sql`t.assignee_id is null`);
  else if (typeof f.assignee === "object") parts.push(sql`t.assignee_id = ${f.assignee.agentId}::uuid`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** A run of letters and digits (with their accents): a word. */
const WORD = String.raw`[\p{L}\p{N}][\p{L}\p{M}\p{N}]*`;
/** Words joined by . @ / _ + - (an address, a version, 3.5, a path, e-mail): a term. */
const TERM = new RegExp(String.raw`${WORD}(?:[.@/_+\-]${WORD})*`, "gu");

/**
 * The search as a tsquery, in tsquery syntax: each term of the search must start a word of the
 * subject (`refund:* & order:*`). A term of several words (zoe@example.com, 2.3.1) matches either
 * as a whole (PostgreSQL's parser keeps an address, a host, a version, a decimal or a path as one
 * word of the subject) or word by word (refund_request, e-mail). Everything outside the terms
 * (spaces, punctuation, %, and tsquery's own & | ! ( ) : * ' < \) is dropped, so the text holds no
 * syntax but ours: to_tsquery cannot fail on it. null when the search holds no word.
 */
function wordsQuery(q: string): string | null {
  const terms = [...new Set(q.match(TERM) ?? [])];
  if (!terms.length) return null;
  const each = (term: string) => {
    const words = term.match(new RegExp(WORD, "gu"))!;
    const split = words.map((w) => `${w}:*`).join(" & ");
    return words.length === 1 ? split : `(${term}:* | ${split})`;
  };
  return terms.map(each).join(" & ");
}

/** The subject's words: exactly the expression of tickets_title_words_idx, so the index serves it. */
const titleWords = sql`to_tsvector('simple', t.title)`;

/**
 * The text filter, as support tools search: by words, not by a piece of text anywhere. A subject
 * matches when each word of the search starts one of its words, in any case ("refu order" finds
 * "Refund for order 1234"), so the GIN index of the subjects' words answers it (a match inside a
 * word would need pg_trgm, which PGlite does not have, and would read every subject). The index
 * is built with 'simple': no stemming and no stop words, so every word a subject holds can be
 * found, in any language. A number ("123", "#123") is also the ticket's number: "#123" is only
 * that ticket; "123" that ticket (by the number's unique index) or a subject with a word starting
 * with 123 ("Order 12345 missing"). A search without any word ("%", "?!") filters nothing:
 * returns null.
 */
function textSearch(q: string): SQL | null {
  const byNumber = numberSearch(q);
  if (byNumber?.only) return sql`t.number = ${byNumber.number}`;
  const words = wordsQuery(q);
  if (words === null) return null;
  const subject = sql`${titleWords} @@ to_tsquery('simple', ${words}::text)`;
  return byNumber ? sql`(t.number = ${byNumber.number} or ${subject})` : subject;
}

/**
 * Each sort as the list indexes hold it (drizzle-kit's `.desc()` is DESC NULLS LAST; a plain DESC
 * means NULLS FIRST, which those indexes cannot deliver, and PostgreSQL would then sort the table).
 */
function orderSql(sort: Sort, alias: string): SQL {
  switch (sort) {
    case "updated":
      return sql.raw(`${alias}.updated_at desc nulls last, ${alias}.id desc nulls last`);
    case "created":
      return sql.raw(`${alias}.created_at desc nulls last, ${alias}.id desc nulls last`);
    case "priority":
      return sql.raw(`${alias}.priority desc nulls last, ${alias}.updated_at desc nulls last, ${alias}.id desc nulls last`);
  }
}

/** The rows after the cursor's, in the cursor's sort (one row comparison, which the index can seek to). */
function afterSql(c: ListCursor): SQL {
  switch (c.sort) {
    case "updated":
      return sql`(t.updated_at, t.id) < (${fromMicros(c.micros)}, ${c.id}::uuid)`;
    case "created":
      return sql`(t.created_at, t.id) < (${fromMicros(c.micros)}, ${c.id}::uuid)`;
    case "priority":
      return sql`(t.priority, t.updated_at, t.id) < (${sql.raw(`'${TICKET_PRIORITIES[c.rank]}'`)}::ticket_priority, ${fromMicros(c.micros)}, ${c.id}::uuid)`;
  }
}

/** Where a row stands in the sort: the columns of its cursor, for a row comparison. */
function keyOf(sort: Sort): SQL {
  return sql.raw({ updated: "t.updated_at, t.id", created: "t.created_at, t.id", priority: "t.priority, t.updated_at, t.id" }[sort]);
}

/**
 * How many tickets of the list a search by words checks in order before it asks the words' index.
 * How many subjects a prefix matches, the planner cannot tell (without a hundred common words in
 * the statistics it guesses 2% for any prefix; a prepared statement's generic plan does not see
 * the words), and each of its two plans is slow for the other kind of search: walking the sort's
 * index and checking each subject (to_tsvector: a few microseconds a row) stops after a page for
 * a common word but reads the whole table for a rare one (200 ms among 50,000 tickets); the words'
 * index finds a rare word at once but hands over every match of a common one to be sorted (25 ms
 * for a one-letter prefix). So the page is picked in two bounded steps: `found`, the matches among
 * the first WALK tickets of the list in order (a common word fills the page there, and stops the
 * walk early); then, only when those hold less than a page, the index's matches past the WALKth
 * ticket, sorted (a word that few recent tickets hold: few matches to sort).
 */
const WALK = 500;

/**
 * The page's rows as `page` (with `found` for a search by words: see WALK). It is picked before
 * anything is joined, so no join can change its plan. `text` null: no search by words.
 */
function pickSql(base: SQL, text: SQL | null, after: SQL, sort: Sort, lim: SQL): SQL {
  const order = orderSql(sort, "t");
  const inOrder = (columns: SQL) => sql`select ${columns} from ${tickets} t where ${base}${after} order by ${order}`;
  if (!text) return sql`with page as (${inOrder(PICKED_COLUMNS)} limit ${lim})`;
  // `found`: the matches among the first WALK tickets in order, and the WALKth ticket (where the
  // rest starts; none when the list is shorter). The rest: the index's matches past it, only when
  // found holds less than a page (OFFSET 0 plans it for the whole set, which is the words' index,
  // not a walk of the sort's index that the ORDER BY and LIMIT outside would ask for).
  const walk = sql.raw(String(WALK));
  return sql`with found as (select * from (select ${PICKED_COLUMNS}, ${text} as hit, row_number() over (order by ${order}) as pos
        from (${inOrder(PICKED_COLUMNS)} limit ${walk}) t) t
      where t.hit or t.pos = ${walk} order by ${order} limit ${lim}),
    page as (select * from (
      select ${PICKED_COLUMNS} from found t where t.hit
      union all
      (select * from (select ${PICKED_COLUMNS} from ${tickets} t
          where ${base} and ${text}${after} and (${keyOf(sort)}) < (select ${keyOf(sort)} from found t where t.pos = ${walk})
          offset 0) t
        where (select count(*) filter (where f.hit) < ${lim} and count(*) filter (where f.pos = ${walk}) = 1 from found f)
        order by ${order} limit ${lim})) t
      order by ${order} limit ${lim})`;
}

/** What a list row shows, from `p` (the picked tickets), `a` (the assignee) and `c` (the contact). */
const ROW_COLUMNS = sql`p.id, p.number, p.title, p.status, p.priority, p.assignee_id as "assigneeId", a.name as "assigneeName",
  p.conversation_id as "conversationId", c.name as "contactName", c.email as "contactEmail",
  ${epochMs(sql`p.created_at`)} as "createdAt", ${epochMs(sql`p.updated_at`)} as "updatedAt",
  ${micros(sql`p.created_at`)} as "createdMicros", ${micros(sql`p.updated_at`)} as "updatedMicros"`;

const PICKED_COLUMNS = sql`t.id, t.number, t.title, t.status, t.priority, t.assignee_id, t.conversation_id, t.contact_id, t.created_at, t.updated_at`;

function rowFrom(r: Row): TicketRow {
  return {
    id: String(r.id),
    number: Number(r.number),
    title: String(r.title),
    status: r.status as TicketStatus,
    priority: r.priority as TicketPriority,
    assigneeId: textOrNull(r.assigneeId),
    assigneeName: textOrNull(r.assigneeName),
    conversationId: textOrNull(r.conversationId),
    contactName: textOrNull(r.contactName),
    contactEmail: textOrNull(r.contactEmail),
    createdAt: dateOf(r.createdAt),
    updatedAt: dateOf(r.updatedAt),
  };
}

/** A row with where it stands in each sort (for the next page's cursor). */
export type PageRow = TicketRow & { createdMicros: string; updatedMicros: string };

export interface ListResult {
  rows: PageRow[];
  /** How many tickets match, counted no further than COUNT_CAP + 1; null when not asked. */
  total: number | null;
  /** Every agent (for the assignee filter); null when not asked. */
  agents: AgentChoice[] | null;
}

/**
 * A page of the list (at most `limit` rows after `cursor`), and when asked the capped count (of a
 * first page only) and the agents, in one statement. The page is picked by an ordered scan of the
 * sort's index (a search by words: see WALK). The LIMIT is written into the statement (as the
 * inbox's): a prepared statement's generic plan guesses a parameter's LIMIT badly. A search is a
 * plain statement too: its plan fits every word, so a generic plan is as fast as one made for the
 * words (force_custom_plan, and its transaction, are not needed).
 */
export async function listPage(
  db: Db,
  filters: ListFilters,
  agentId: string,
  cursor: ListCursor | null,
  limit: number,
  extra: { count: boolean; agents: boolean },
): Promise<ListResult> {
  const lim = sql.raw(String(Math.max(1, Math.trunc(limit))));
  const base = filterSql(filters, agentId);
  const text = filters.q ? textSearch(filters.q) : null;
  const where = text ? sql`${base} and ${text}` : base;
  const after = cursor ? sql` and ${afterSql(cursor)}` : sql``;
  // "#123" is one probe of the number's index, as a filter of the ordered scan.
  const ctes = text && !numberSearch(filters.q)?.only ? pickSql(base, text, after, filters.sort, lim) : pickSql(where, null, after, filters.sort, lim);
  const joined = sql`select ${ROW_COLUMNS}, p.created_at as sort_created, p.updated_at as sort_updated, p.priority as sort_priority
    from page p left join ${agents} a on a.id = p.assignee_id left join ${contacts} c on c.id = p.contact_id`;
  const head: SQL[] = [];
  if (extra.count && !cursor) {
    // A first page that is not full holds every match: its rows are the count (CASE runs only the
    // branch it takes, so a search matching few tickets scans the table once, not twice).
    head.push(sql`(case when (select count(*) from page) < ${lim} then (select count(*)::int from page)
      else (select count(*)::int from (select 1 from ${tickets} t where ${where} limit ${sql.raw(String(COUNT_CAP + 1))}) s) end) as total`);
  }
  if (extra.agents) head.push(sql`${agentChoices} as agents`);
  const rowOrder = sql.raw(
    { updated: "r.sort_updated desc, r.id desc", created: "r.sort_created desc, r.id desc", priority: "r.sort_priority desc, r.sort_updated desc, r.id desc" }[filters.sort],
  );
  const statement = head.length
    ? sql`${ctes} select head.*, r.* from (select ${sql.join(head, sql`, `)}) head left join (${joined}) r on true order by ${rowOrder}`
    : sql`${ctes} select r.* from (${joined}) r order by ${rowOrder}`;
  const result = rowsOf<Row>(await db.execute(statement));
  const first = result[0];
  return {
    rows: result.filter((r) => r.id !== null && r.id !== undefined).map((r) => ({ ...rowFrom(r), createdMicros: String(r.createdMicros), updatedMicros: String(r.updatedMicros) })),
    total: extra.count && !cursor ? Number(first?.total ?? 0) : null,
    agents: extra.agents ? ((first?.agents ?? []) as AgentChoice[]) : null,
  };
}

// --- the new-ticket form --------------------------------------------------------------------------

export interface NewTicketContext {
  /** null for a ticket without a conversation. */
  conversation: {
    id: string;
    contactId: string;
    contactName: string | null;
    contactEmail: string | null;
    firstCustomerMessage: string | null;
    /** Its ticket that is not closed, if it has one. */
    unclosed: { number: number; title: string } | null;
  } | null;
  agents: AgentChoice[];
}

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

export type EventType = "created" | "status" | "priority" | "assignee";

export interface NewEvent {
  type: EventType;
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

// --- the ticket page ------------------------------------------------------------------------------

/** One change in a ticket's history, with the names it needs. */
export interface HistoryEvent {
  id: string;
  type: EventType;
  /** null: the agent was deleted. */
  actorName: string | null;
  from: string | null;
  to: string | null;
  /** For assignee changes: the agents' names (null for nobody, or a deleted agent). */
  fromName: string | null;
  toName: string | null;
  createdAt: Date;
}

export interface TicketComment {
  id: string;
  authorName: string | null;
  body: string;
  createdAt: Date;
}

export interface TicketDetail extends TicketRow {
  description: string;
  createdByName: string | null;
  resolvedAt: Date | null;
  /** The conversation's newest messages (TRANSCRIPT_LIMIT), oldest first; [] without a conversation. */
  transcript: MessageWithAuthor[];
  /** How many messages the conversation has (the transcript may show fewer). */
  messageCount: number;
  history: HistoryEvent[];
  comments: TicketComment[];
  agents: AgentChoice[];
}

type EventJson = Omit<HistoryEvent, "createdAt"> & { createdAt: number };
type CommentJson = Omit<TicketComment, "createdAt"> & { createdAt: number };
type MessageJson = Omit<MessageWithAuthor, "conversationId" | "createdAt"> & { createdAt: number };

/** History rows with their names, oldest first, as JSON (`where` is a condition on `e`). */
const historyJson = (where: SQL) => sql`(select coalesce(json_agg(json_build_object('id', e.id, 'type', e.type, 'actorName', actor.name,
    'from', e."from", 'to', e."to", 'fromName', fa.name, 'toName', ta.name, 'createdAt', ${epochMs(sql`e.created_at`)}) order by e.created_at, e.id), '[]'::json)
  from ${ticketEvents} e
  left join ${agents} actor on actor.id = e.actor_agent_id
  left join ${agents} fa on e.type = 'assignee' and fa.id::text = e."from"
  left join ${agents} ta on e.type = 'assignee' and ta.id::text = e."to"
  where ${where})`;

const commentsJson = (where: SQL) => sql`(select coalesce(json_agg(json_build_object('id', k.id, 'authorName', au.name, 'body', k.body,
    'createdAt', ${epochMs(sql`k.created_at`)}) order by k.created_at, k.id), '[]'::json)
  from ${ticketComments} k left join ${agents} au on au.id = k.author_id
  where ${where})`;

const historyFrom = (list: EventJson[]): HistoryEvent[] => list.map((e) => ({ ...e, createdAt: dateOf(e.createdAt) }));
const commentsFrom = (list: CommentJson[]): TicketComment[] => list.map((c) => ({ ...c, createdAt: dateOf(c.createdAt) }));

/** Everything the ticket page shows, in one statement. */
export async function detailByNumber(db: Db, number: number, transcriptLimit: number): Promise<TicketDetail | undefined> {
  const limit = sql.raw(String(Math.max(1, Math.trunc(transcriptLimit))));
  const [row] = rowsOf<Row>(
    await db.execute(sql`with page as (select ${PICKED_COLUMNS}, t.description, t.created_by_id, t.resolved_at from ${tickets} t where t.number = ${number})
      select ${ROW_COLUMNS}, p.description, cb.name as "createdByName", ${epochMs(sql`p.resolved_at`)} as "resolvedAt",
        (select conv.last_seq from ${conversations} conv where conv.id = p.conversation_id) as "messageCount",
        (select coalesce(json_agg(json_build_object('id', m.id, 'seq', m.seq, 'clientId', m.client_id, 'sender', m.sender,
            'agentId', m.agent_id, 'agentName', (select x.name from ${agents} x where x.id = m.agent_id), 'body', m.body,
            'createdAt', ${epochMs(sql`m.created_at`)}) order by m.seq), '[]'::json)
          from (select * from ${messages} m where m.conversation_id = p.conversation_id order by m.seq desc limit ${limit}) m) as transcript,
        ${historyJson(sql`e.ticket_id = p.id`)} as history,
        ${commentsJson(sql`k.ticket_id = p.id`)} as comments,
        ${agentChoices} as agents
      from page p
      left join ${agents} a on a.id = p.assignee_id
      left join ${agents} cb on cb.id = p.created_by_id
      left join ${contacts} c on c.id = p.contact_id`),
  );
  if (!row) return undefined;
  const base = rowFrom(row);
  return {
    ...base,
    description: String(row.description ?? ""),
    createdByName: textOrNull(row.createdByName),
    resolvedAt: dateOrNull(row.resolvedAt),
    transcript: (row.transcript as MessageJson[]).map((m) => ({ ...m, conversationId: base.conversationId!, createdAt: dateOf(m.createdAt) })),
    messageCount: Number(row.messageCount ?? 0),
    history: historyFrom(row.history as EventJson[]),
    comments: commentsFrom(row.comments as CommentJson[]),
    agents: row.agents as AgentChoice[],
  };
}

/** The row, the history events `eventIds` and the comment `commentId` (the live push), in one statement. */
export async function liveParts(db: Db, ticketId: string, eventIds: string[], commentId: string | null) {
  const ids = `{${eventIds.join(",")}}`;
  const [row] = rowsOf<Row>(
    await db.execute(sql`with page as (select ${PICKED_COLUMNS} from ${tickets} t where t.id = ${ticketId}::uuid)
      select ${ROW_COLUMNS},
        ${historyJson(sql`e.ticket_id = p.id and e.id = any(${ids}::uuid[])`)} as history,
        ${commentsJson(sql`k.ticket_id = p.id and k.id = ${commentId}::uuid`)} as comments
      from page p left join ${agents} a on a.id = p.assignee_id left join ${contacts} c on c.id = p.contact_id`),
  );
  if (!row) return undefined;
  return { row: rowFrom(row), history: historyFrom(row.history as EventJson[]), comments: commentsFrom(row.comments as CommentJson[]) };
}
