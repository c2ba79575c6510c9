// All SQL of /analytics. Every figure is aggregated in the database: the page reads a few dozen
// rows however many conversations there are; the CSV downloads read their rows a page at a time.
//
// How the figures are counted (the page's "How these are counted" note says the same):
//
// - Range: local days `from`..`to` (inclusive) in the account's IANA zone, i.e. the instants
//   [from 00:00 local, the day after `to` 00:00 local). PostgreSQL converts them (`at time zone`),
//   so days of 23 or 25 hours around DST changes are right.
// - Conversations per day: conversations created on each local day; days without any show 0.
// - First response time: for each conversation whose first agent message (first_response_at)
//   falls in the range, the time from when the customer first waited for a human (its first
//   `queued` event, recorded as first_queued_at; that is its creation when it was queued at
//   creation) to that message. A conversation an agent answered before it was ever queued
//   (straight from the bot) counts from its creation.
// - Resolution time: for each `closed` event in the range, the time since its episode began: the
//   latest reopen before that close, or the conversation's creation (recorded on the close as
//   started_at).
// - Queue wait: for each claim or assignment in the range that took a conversation out of the
//   queue, the time since it entered the queue: when it was queued, put back (unassigned) or
//   reopened into the queue by its customer, whichever was latest (recorded on the claim or
//   assignment as started_at; null on the others). An assignment straight from the bot, or from
//   one agent to another, ended no wait in the queue and is not counted.
// - Per agent: conversations handled = distinct conversations in which the agent sent a message
//   in the range; median first response = over the first responses (above) that they gave
//   (first_responder_id, the first agent message's author); open now = conversations assigned
//   to them and not closed. Every active agent is listed; a deactivated one only with something
//   to show.
// - Needs attention now: open conversations (queued or assigned) whose last customer message is
//   newer than the last agent message (conversations/model.ts needsAttention), oldest first.
// - Tickets: tickets created in the range, by their status and priority now.
// - Median and 90th percentile: percentile_cont (interpolated), null when nothing was measured.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import type { AgentRow, DayRange, DurationStats } from "./model.ts";

/** The range as instants, ISO 8601 in UTC: `lo` included, `hi` excluded. */
export interface Bounds {
  range: DayRange;
  lo: string;
  hi: string;
}

/** Where the previous CSV page ended: the sort key of its last row (exact, microseconds). */
export interface Cursor {
  at: string;
  id: string;
}

/** Rows per CSV page: a download of 100,000 rows holds 5,000 in memory at a time. */
export const PAGE_ROWS = 5000;

/** ISO 8601 in UTC to the second, as the CSV files show instants. */
const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
/** The same instant to the microsecond: the CSV pages' cursor. */
const exact = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
// date_part, not extract: extract returns numeric, whose arithmetic and cast cost a fifth of a
// percentile's time over 100,000 rows.
const seconds = (from: SQL, to: SQL) => sql`greatest(0, date_part('epoch', ${to} - ${from}))`;

/**
 * One statement run the way a large, one-off aggregate should be, in its own read-only
 * transaction: enough work_mem that its hash tables and sorts stay in memory; no JIT (compiling
 * costs more than these queries run); and a plan made for these bounds, never the generic plan
 * of a prepared statement (which guesses a range picks 0.5% of the rows and walks indexes
 * through all of them). Separate statements run on separate connections at the same time, so
 * none starts parallel workers: they would only take the CPUs from the report's other statements.
 */
async function aggregate<T>(db: Db, query: SQL): Promise<T[]> {
  return db.transaction(
    async (tx) => {
      await tx.execute(sql`select set_config('work_mem', '32MB', true), set_config('jit', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true),
        set_config('max_parallel_workers_per_gather', '0', true)`);
      return rowsOf<T>(await tx.execute(query));
    },
    { accessMode: "read only" },
  );
}

/** The range's instants, converted by PostgreSQL (its time zone database decides DST). */
export async function boundsOf(db: Db, range: DayRange): Promise<Bounds> {
  const result = await db.execute(sql`select
    ${iso(sql`(${range.from}::date)::timestamp at time zone ${range.timeZone}`)} as lo,
    ${iso(sql`(${range.to}::date + 1)::timestamp at time zone ${range.timeZone}`)} as hi`);
  const [row] = rowsOf<{ lo: string; hi: string }>(result);
  return { range, lo: row!.lo, hi: row!.hi };
}

const lo = (b: Bounds) => sql`${b.lo}::timestamptz`;
const hi = (b: Bounds) => sql`${b.hi}::timestamptz`;
const after = (key: SQL, id: SQL, cursor: Cursor | undefined) =>
  cursor ? sql`and (${key}, ${id}) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : sql``;

// --- conversations per day -------------------------------------------------------------------

export async function perDay(db: Db, b: Bounds): Promise<{ day: string; conversations: number }[]> {
  // Each conversation's local day by a binary search among the days' first instants
  // (width_bucket), not by a time zone conversion per conversation. Day i starts at edge i + 1.
  return aggregate(
    db,
    sql`with days as (
      select i, ${b.range.from}::date + i as day, (${b.range.from}::date + i)::timestamp at time zone ${b.range.timeZone} as starts
      from generate_series(0, ${b.range.days}::int) as i
    )
    select to_char(d.day, 'YYYY-MM-DD') as day, coalesce(n.conversations, 0)::int as conversations
    from days d
    left join (
      select width_bucket(created_at, (select array_agg(starts order by i) from days)) as edge, count(*) as conversations
      from conversations
      where created_at >= ${lo(b)} and created_at < ${hi(b)}
      group by 1
    ) n on n.edge = d.i + 1
    where d.i < ${b.range.days}::int
    order by d.i`,
  );
}

// --- the rows behind the three durations ------------------------------------------------------
// Each is a subquery with the columns row_id (the CSV cursor's tie-breaker), conversation_id,
// started_at, ended_at and agent_id; `cursor` narrows it to the rows after a CSV page. Each
// interval's start was recorded when the row that ends it was written
// (conversation_events.started_at, conversations.first_queued_at; see conversations/locked.ts),
// so each is one range scan of one table: no joins, no lookups per row.

/** When the customer of conversation `c` first waited for a person, for its first response. */
const waitedSince = sql`case when c.first_queued_at <= c.first_response_at then c.first_queued_at else c.created_at end`;

/** Conversation `c`'s first response falls in the range. */
const answeredInRange = (b: Bounds) => sql`c.first_response_at >= ${lo(b)} and c.first_response_at < ${hi(b)}`;

/** First responses in the range, with who gave them. */
function firstResponseRows(b: Bounds, cursor?: Cursor): SQL {
  return sql`(
    select c.id as row_id, c.id as conversation_id, ${waitedSince} as started_at, c.first_response_at as ended_at, c.first_responder_id as agent_id
    from conversations c
    where ${answeredInRange(b)} ${after(sql`c.first_response_at`, sql`c.id`, cursor)}
  )`;
}

/** The events of `types` in the range that end an interval: every close, and the claims and assignments out of the queue. */
function intervalEvents(b: Bounds, types: SQL, cursor: Cursor | undefined): SQL {
  return sql`e.type in ${types} and e.created_at >= ${lo(b)} and e.created_at < ${hi(b)} and e.started_at is not null
    ${after(sql`e.created_at`, sql`e.id`, cursor)}`;
}

/** Closes in the range, each with the start of its episode (creation, or the latest reopen). */
function resolutionRows(b: Bounds, cursor?: Cursor): SQL {
  return sql`(
    select e.id as row_id, e.conversation_id, e.started_at, e.created_at as ended_at, e.actor_agent_id as agent_id
    from conversation_events e
    where ${intervalEvents(b, sql`('closed')`, cursor)}
  )`;
}

/** Claims and assignments in the range that took a conversation out of the queue, with when it entered. */
function queueWaitRows(b: Bounds, cursor?: Cursor): SQL {
  return sql`(
    select e.id as row_id, e.conversation_id, e.started_at, e.created_at as ended_at,
      case when e.type = 'claimed' then e.actor_agent_id else (e.data->>'to')::uuid end as agent_id, e.type as how
    from conversation_events e
    where ${intervalEvents(b, sql`('claimed', 'assigned')`, cursor)}
  )`;
}

/** One sort gives both percentiles (two percentile_cont calls would sort twice). */
const summaryColumns = sql`count(*)::int as count,
  percentile_cont(array[0.5, 0.9]) within group (order by ${seconds(sql`started_at`, sql`ended_at`)}) as percentiles`;

type Percentiles = number[] | string | null;
type SummaryRow = { count: number; percentiles: Percentiles };

/** Interpolation leaves float noise (25800.000000000004): durations are kept to the millisecond. */
const toMillisecond = (seconds: number | undefined) => (seconds === undefined ? null : Math.round(seconds * 1000) / 1000);

/** percentile_cont of an empty set is null; both drivers parse float8[] (text is a fallback). */
function summaryOf(row: SummaryRow): DurationStats {
  const values = typeof row.percentiles === "string" ? row.percentiles.replace(/[{}]/g, "").split(",").map(Number) : row.percentiles;
  return { count: row.count, median: toMillisecond(values?.[0]), p90: toMillisecond(values?.[1]) };
}

/** The range's first responses: all of them, and those of each agent who gave any. */
export interface FirstResponses {
  all: DurationStats;
  byAgent: Map<string, DurationStats>;
}

/** One scan and sort serve both the whole team's figure and each agent's (grouping sets). */
export async function firstResponses(db: Db, b: Bounds): Promise<FirstResponses> {
  const rows = await aggregate<SummaryRow & { agent_id: string | null; everyone: number }>(
    db,
    sql`select fr.agent_id, grouping(fr.agent_id)::int as everyone, ${summaryColumns}
    from ${firstResponseRows(b)} fr
    group by grouping sets ((), (fr.agent_id))`,
  );
  const all = rows.find((r) => Number(r.everyone) === 1);
  const byAgent = new Map<string, DurationStats>();
  for (const r of rows) if (r !== all && r.agent_id !== null) byAgent.set(r.agent_id, summaryOf(r));
  return { all: all ? summaryOf(all) : { count: 0, median: null, p90: null }, byAgent };
}

/**
 * Median and p90 of the range's resolutions and of its queue waits. Their events lie side by
 * side in one index and one table, so one pass reads both (resolutionRows and queueWaitRows
 * select the same rows for the CSV files).
 */
export async function eventDurationSummaries(db: Db, b: Bounds): Promise<{ resolution: DurationStats; queueWait: DurationStats }> {
  const closes = sql`e.type = 'closed'`;
  const duration = seconds(sql`e.started_at`, sql`e.created_at`);
  const [row] = await aggregate<{ r_count: number; r_percentiles: Percentiles; q_count: number; q_percentiles: Percentiles }>(
    db,
    sql`select count(*) filter (where ${closes})::int as r_count,
      percentile_cont(array[0.5, 0.9]) within group (order by ${duration}) filter (where ${closes}) as r_percentiles,
      count(*) filter (where not ${closes})::int as q_count,
      percentile_cont(array[0.5, 0.9]) within group (order by ${duration}) filter (where not ${closes}) as q_percentiles
    from conversation_events e
    where ${intervalEvents(b, sql`('closed', 'claimed', 'assigned')`, undefined)}`,
  );
  return {
    resolution: summaryOf({ count: row!.r_count, percentiles: row!.r_percentiles }),
    queueWait: summaryOf({ count: row!.q_count, percentiles: row!.q_percentiles }),
  };
}

// --- agents ------------------------------------------------------------------------------------

/** An agent's row before their first responses (firstResponses) are added. */
export type AgentActivity = Omit<AgentRow, "firstResponses" | "medianFirstResponse">;

/** Every agent with the conversations they wrote in during the range and what they hold open now. */
export async function agentActivity(db: Db, b: Bounds): Promise<AgentActivity[]> {
  return aggregate<AgentActivity>(
    db,
    sql`with handled as (
      select agent_id, count(*)::int as handled from (
        select distinct m.agent_id, m.conversation_id
        from messages m
        where m.sender = 'agent' and m.agent_id is not null and m.created_at >= ${lo(b)} and m.created_at < ${hi(b)}
      ) w
      group by agent_id
    ), open_now as (
      select assignee_id as agent_id, count(*)::int as open_now
      from conversations
      where assignee_id is not null and status <> 'closed'
      group by assignee_id
    )
    select a.id, a.name, a.deactivated_at is not null as deactivated, coalesce(h.handled, 0) as handled, coalesce(o.open_now, 0) as "openNow"
    from agents a
    left join handled h on h.agent_id = a.id
    left join open_now o on o.agent_id = a.id
    order by lower(a.name), a.id`,
  );
}

// --- needs attention now ----------------------------------------------------------------------

/** The definition of conversations/model.ts needsAttention, for every open conversation. */
const needsAttention = sql`c.status in ('queued', 'assigned') and c.last_customer_message_at is not null
  and (c.last_agent_message_at is null or c.last_customer_message_at > c.last_agent_message_at)`;

export interface AttentionRecord {
  id: string;
  contactName: string | null;
  contactEmail: string | null;
  status: "queued" | "assigned";
  assigneeName: string | null;
  lastCustomerMessageAt: string;
  total: number;
  /** Sort key of the row, for the next page. */
  cursor: Cursor;
}

/** Conversations waiting for an answer now, longest-waiting first, with how many there are in all. */
export async function attention(db: Db, limit: number, cursor?: Cursor): Promise<AttentionRecord[]> {
  const rows = await aggregate<Omit<AttentionRecord, "cursor"> & { cursorAt: string }>(
    db,
    // The page's rows are picked (and all of them counted) before the names are joined: a lookup
    // for each of the thousands waiting would cost more than the rest.
    sql`select c.id, ct.name as "contactName", ct.email as "contactEmail", c.status, a.name as "assigneeName",
      ${iso(sql`c.last_customer_message_at`)} as "lastCustomerMessageAt",
      ${exact(sql`c.last_customer_message_at`)} as "cursorAt", c.total
    from (
      select c.id, c.contact_id, c.assignee_id, c.status, c.last_customer_message_at, (count(*) over ())::int as total
      from conversations c
      where ${needsAttention} ${after(sql`c.last_customer_message_at`, sql`c.id`, cursor)}
      order by c.last_customer_message_at, c.id
      limit ${limit}
    ) c
    join contacts ct on ct.id = c.contact_id
    left join agents a on a.id = c.assignee_id
    order by c.last_customer_message_at, c.id`,
  );
  return rows.map(({ cursorAt, ...r }) => ({ ...r, cursor: { at: cursorAt, id: r.id } }));
}

// --- tickets -----------------------------------------------------------------------------------

export async function ticketCounts(db: Db, b: Bounds): Promise<{ status: string; priority: string; tickets: number }[]> {
  return aggregate(
    db,
    sql`select status, priority, count(*)::int as tickets
    from tickets
    where created_at >= ${lo(b)} and created_at < ${hi(b)}
    group by status, priority`,
  );
}

// --- CSV rows ------------------------------------------------------------------------------------

/** A row behind one of the durations, as the CSV files list it. */
export interface DurationRecord {
  conversationId: string;
  contactName: string | null;
  contactEmail: string | null;
  startedAt: string;
  endedAt: string;
  seconds: number;
  agentName: string | null;
  how: string | null;
  /** Sort key of the row, for the next page. */
  cursor: Cursor;
}

async function durationPage(db: Db, rows: SQL, withHow: boolean, limit: number): Promise<DurationRecord[]> {
  const records = await aggregate<Omit<DurationRecord, "cursor"> & { cursorAt: string; rowId: string }>(
    db,
    sql`select r.conversation_id as "conversationId", ct.name as "contactName", ct.email as "contactEmail",
      ${iso(sql`r.started_at`)} as "startedAt", ${iso(sql`r.ended_at`)} as "endedAt",
      round(${seconds(sql`r.started_at`, sql`r.ended_at`)}::numeric, 3)::float8 as seconds,
      a.name as "agentName", ${withHow ? sql`r.how` : sql`null`} as how,
      ${exact(sql`r.ended_at`)} as "cursorAt", r.row_id as "rowId"
    from ${rows} r
    join conversations c on c.id = r.conversation_id
    join contacts ct on ct.id = c.contact_id
    left join agents a on a.id = r.agent_id
    order by r.ended_at, r.row_id
    limit ${limit}`,
  );
  return records.map(({ cursorAt, rowId, ...r }) => ({ ...r, cursor: { at: cursorAt, id: rowId } }));
}

/** A page of rows after `cursor` (from the first row without one), in the order of their end. */
export type PageReader<T> = (limit: number, cursor?: Cursor) => Promise<T[]>;

export const firstResponsePage = (db: Db, b: Bounds): PageReader<DurationRecord> => (limit, cursor) => durationPage(db, firstResponseRows(b, cursor), false, limit);
export const resolutionPage = (db: Db, b: Bounds): PageReader<DurationRecord> => (limit, cursor) => durationPage(db, resolutionRows(b, cursor), false, limit);
export const queueWaitPage = (db: Db, b: Bounds): PageReader<DurationRecord> => (limit, cursor) => durationPage(db, queueWaitRows(b, cursor), true, limit);
