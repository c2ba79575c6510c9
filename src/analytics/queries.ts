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
//   `queued` event, which is its creation when it was queued at creation; read from queued_at
//   while that has not moved, see firstResponseRows) to that message. A conversation an agent
//   answered before it was ever queued (straight from the bot) counts from its creation.
// - Resolution time: for each `closed` event in the range, the time since its episode began: the
//   latest `reopened` event before that close, or the conversation's creation.
// - Queue wait: for each claim or assignment in the range that took a conversation out of the
//   queue (`claimed` with data.from = 'queued', or `assigned` with no previous assignee), the time
//   since it entered the queue: the latest `queued`, `unassigned` or customer `reopened` event
//   before it (those are the three ways into the queue, see src/conversations/service.ts). An
//   assignment straight from the bot ended no wait in the queue and is not counted.
// - Per agent: conversations handled = distinct conversations in which the agent sent a message
//   in the range; median first response = over the first responses (above) whose first agent
//   message was theirs; open now = conversations assigned to them and not closed. Every active
//   agent is listed; a deactivated one only with something to show.
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
const seconds = (from: SQL, to: SQL) => sql`greatest(0, extract(epoch from ${to} - ${from}))::float8`;

/**
 * One statement run the way a large, one-off aggregate should be, in its own read-only
 * transaction: enough work_mem that its hash tables and sorts stay in memory; no JIT (compiling
 * costs more than these queries run); and a plan made for these bounds, never the generic plan
 * of a prepared statement (which guesses a range picks 0.5% of the rows and walks indexes
 * through all of them). Separate statements run on separate connections at the same time.
 */
async function aggregate<T>(db: Db, query: SQL): Promise<T[]> {
  return db.transaction(
    async (tx) => {
      await tx.execute(sql`select set_config('work_mem', '32MB', true), set_config('jit', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true)`);
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
  return aggregate(
    db,
    sql`select to_char(d.day, 'YYYY-MM-DD') as day, coalesce(n.conversations, 0)::int as conversations
    from generate_series(${b.range.from}::date, ${b.range.to}::date, interval '1 day') as d(day)
    left join (
      select (created_at at time zone ${b.range.timeZone})::date as day, count(*) as conversations
      from conversations
      where created_at >= ${lo(b)} and created_at < ${hi(b)}
      group by 1
    ) n on n.day = d.day::date
    order by d.day`,
  );
}

// --- the rows behind the three durations ------------------------------------------------------
// Each is a subquery with the columns row_id (the CSV cursor's tie-breaker), conversation_id,
// started_at, ended_at and agent_id; `cursor` narrows it to the rows after a CSV page.
// Each is built for hash joins over whole ranges: no per-row index probes (100,000 of them cost
// more than scanning), and aggregates only over the small sets (reopens) where one is needed.

/**
 * First responses in the range, with who gave them (the first agent message's author).
 *
 * When the customer first waited: the conversation's queued_at, which the service sets together
 * with the first `queued` event and moves only when the conversation joins the queue again (a
 * customer's reopen) or is put back without ever having been queued (an unassign). So queued_at
 * is that first wait unless the conversation was reopened before its first response or queued_at
 * lies after it; only those few look up their first `queued` event. (A join with every queued
 * event, grouped per conversation, costs several times the rest of the statement.)
 */
function firstResponseRows(b: Bounds, opts: { cursor?: Cursor; responder: boolean }): SQL {
  return sql`(
    select c.id as row_id, c.id as conversation_id, ${waitedSince} as started_at, c.first_response_at as ended_at,
      ${opts.responder ? sql`r.agent_id` : sql`null::uuid`} as agent_id
    from conversations c
    left join ${firstReopens(b)} ro on ro.conversation_id = c.id
    -- The first agent message: the message path sets first_response_at to its created_at (one
    -- instant), so an equality join finds it without sorting the range's agent messages. (Two
    -- agent messages of one conversation stamped with the same millisecond would both match;
    -- appends to a conversation are serialised, so that needs two agents within the same ms.)
    ${
      opts.responder
        ? sql`left join messages r on r.conversation_id = c.id and r.created_at = c.first_response_at and r.sender = 'agent'
      and r.created_at >= ${lo(b)} and r.created_at < ${hi(b)}`
        : sql``
    }
    where ${answeredInRange(b)} ${after(sql`c.first_response_at`, sql`c.id`, opts.cursor)}
  )`;
}

/** Conversation `c`'s first response falls in the range. */
const answeredInRange = (b: Bounds) => sql`c.first_response_at >= ${lo(b)} and c.first_response_at < ${hi(b)}`;

/** When each conversation that was ever reopened was first reopened (few rows: a small hash join). */
const firstReopens = (b: Bounds) => sql`(
  select conversation_id, min(created_at) as first_reopen from conversation_events
  where type = 'reopened' and created_at < ${hi(b)}
  group by conversation_id
)`;

/** When the customer of conversation `c` (joined with firstReopens as `ro`) first waited for a person. */
const waitedSince = sql`case
  when c.queued_at is null then c.created_at
  when c.queued_at <= c.first_response_at and (ro.first_reopen is null or ro.first_reopen >= c.first_response_at) then c.queued_at
  else coalesce((
    select min(e.created_at) from conversation_events e
    where e.conversation_id = c.id and e.type = 'queued' and e.created_at <= c.first_response_at
  ), c.created_at)
end`;

/**
 * Closes in the range, each with the start of its episode. Few conversations are ever reopened,
 * so the latest reopen before each close is found among those alone (a small join and
 * aggregate); every other close counts from its conversation's creation.
 */
function resolutionRows(b: Bounds, cursor?: Cursor): SQL {
  const closesInRange = (alias: SQL) => sql`${alias}.type = 'closed' and ${alias}.created_at >= ${lo(b)} and ${alias}.created_at < ${hi(b)}
    ${after(sql`${alias}.created_at`, sql`${alias}.id`, cursor)}`;
  return sql`(
    select cl.id as row_id, cl.conversation_id, coalesce(ro.reopened_at, c.created_at) as started_at,
      cl.created_at as ended_at, cl.actor_agent_id as agent_id
    from conversation_events cl
    join conversations c on c.id = cl.conversation_id
    left join (
      select x.id, max(r.created_at) as reopened_at
      from conversation_events r
      join conversation_events x on x.conversation_id = r.conversation_id and x.created_at > r.created_at and ${closesInRange(sql`x`)}
      where r.type = 'reopened' and r.created_at < ${hi(b)}
      group by x.id
    ) ro on ro.id = cl.id
    where ${closesInRange(sql`cl`)}
  )`;
}

/**
 * Claims and assignments in the range that took a conversation out of the queue, with when it
 * entered: the latest way into the queue (queued, unassigned, a customer's reopen) before it.
 */
function queueWaitRows(b: Bounds, cursor?: Cursor): SQL {
  return sql`(
    select t.id as row_id, t.conversation_id, max(s.created_at) as started_at, t.created_at as ended_at,
      case when t.type = 'claimed' then t.actor_agent_id else (t.data->>'to')::uuid end as agent_id, t.type as how
    from conversation_events t
    join conversation_events s on s.conversation_id = t.conversation_id
      and s.type in ('queued', 'unassigned', 'reopened') and (s.type <> 'reopened' or s.actor_type = 'customer')
      and s.created_at < ${hi(b)} and s.created_at <= t.created_at
    where t.type in ('claimed', 'assigned') and t.created_at >= ${lo(b)} and t.created_at < ${hi(b)}
      and (case when t.type = 'claimed' then t.data->>'from' = 'queued' else t.data->>'from' is null end)
      ${after(sql`t.created_at`, sql`t.id`, cursor)}
    group by t.id
  )`;
}

/** One sort gives both percentiles (two percentile_cont calls would sort twice). */
const summaryColumns = sql`count(*)::int as count,
  percentile_cont(array[0.5, 0.9]) within group (order by ${seconds(sql`started_at`, sql`ended_at`)}) as percentiles`;

type SummaryRow = { count: number; percentiles: number[] | string | null };

/** Interpolation leaves float noise (25800.000000000004): durations are kept to the millisecond. */
const toMillisecond = (seconds: number | undefined) => (seconds === undefined ? null : Math.round(seconds * 1000) / 1000);

/** percentile_cont of an empty set is null; both drivers parse float8[] (text is a fallback). */
function summaryOf(row: SummaryRow): DurationStats {
  const values = typeof row.percentiles === "string" ? row.percentiles.replace(/[{}]/g, "").split(",").map(Number) : row.percentiles;
  return { count: row.count, median: toMillisecond(values?.[0]), p90: toMillisecond(values?.[1]) };
}

/** Median and p90 of the range's first responses (per agent: agentActivity). */
export async function firstResponseSummary(db: Db, b: Bounds): Promise<DurationStats> {
  const [row] = await aggregate<SummaryRow>(db, sql`select ${summaryColumns} from ${firstResponseRows(b, { responder: false })} fr`);
  return summaryOf(row!);
}

export async function resolutionSummary(db: Db, b: Bounds): Promise<DurationStats> {
  const [row] = await aggregate<SummaryRow>(db, sql`select ${summaryColumns} from ${resolutionRows(b)} r`);
  return summaryOf(row!);
}

export async function queueWaitSummary(db: Db, b: Bounds): Promise<DurationStats> {
  const [row] = await aggregate<SummaryRow>(db, sql`select ${summaryColumns} from ${queueWaitRows(b)} q`);
  return summaryOf(row!);
}

// --- agents ------------------------------------------------------------------------------------

/**
 * Every agent with the conversations they wrote in during the range, the first responses among
 * them (the conversations whose first agent message, at first_response_at, was theirs), and what
 * they hold open now. One pass over the range's agent messages serves the first two.
 */
export async function agentActivity(db: Db, b: Bounds): Promise<AgentRow[]> {
  const rows = await aggregate<Omit<AgentRow, "medianFirstResponse"> & { medianFirstResponse: number | null }>(
    db,
    sql`with written as materialized (
      select m.agent_id, m.conversation_id, min(m.created_at) as first_at
      from messages m
      where m.sender = 'agent' and m.agent_id is not null and m.created_at >= ${lo(b)} and m.created_at < ${hi(b)}
      group by m.agent_id, m.conversation_id
    ), handled as (
      select agent_id, count(*)::int as handled from written group by agent_id
    ), responses as (
      -- The responder is the agent whose first message in the range is the conversation's first
      -- response. Spelled "<=" (no agent message comes before first_response_at, so it means "="):
      -- PostgreSQL would guess that an equality on two columns keeps one row, and plan the joins
      -- after it as loops over 100,000 rows.
      select w.agent_id, count(*)::int as responses,
        percentile_cont(0.5) within group (order by ${seconds(waitedSince, sql`c.first_response_at`)}) as median
      from written w
      join conversations c on c.id = w.conversation_id and w.first_at <= c.first_response_at
      left join ${firstReopens(b)} ro on ro.conversation_id = c.id
      where ${answeredInRange(b)}
      group by w.agent_id
    ), open_now as (
      select assignee_id as agent_id, count(*)::int as open_now
      from conversations
      where assignee_id is not null and status <> 'closed'
      group by assignee_id
    )
    select a.id, a.name, a.deactivated_at is not null as deactivated,
      coalesce(h.handled, 0) as handled, coalesce(r.responses, 0) as "firstResponses", r.median as "medianFirstResponse",
      coalesce(o.open_now, 0) as "openNow"
    from agents a
    left join handled h on h.agent_id = a.id
    left join responses r on r.agent_id = a.id
    left join open_now o on o.agent_id = a.id
    order by lower(a.name), a.id`,
  );
  return rows.map((r) => ({ ...r, medianFirstResponse: toMillisecond(r.medianFirstResponse ?? undefined) }));
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
    sql`select c.id, ct.name as "contactName", ct.email as "contactEmail", c.status, a.name as "assigneeName",
      ${iso(sql`c.last_customer_message_at`)} as "lastCustomerMessageAt",
      ${exact(sql`c.last_customer_message_at`)} as "cursorAt",
      (count(*) over ())::int as total
    from conversations c
    join contacts ct on ct.id = c.contact_id
    left join agents a on a.id = c.assignee_id
    where ${needsAttention} ${after(sql`c.last_customer_message_at`, sql`c.id`, cursor)}
    order by c.last_customer_message_at, c.id
    limit ${limit}`,
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

export const firstResponsePage = (db: Db, b: Bounds): PageReader<DurationRecord> => (limit, cursor) =>
  durationPage(db, firstResponseRows(b, { cursor, responder: true }), false, limit);
export const resolutionPage = (db: Db, b: Bounds): PageReader<DurationRecord> => (limit, cursor) => durationPage(db, resolutionRows(b, cursor), false, limit);
export const queueWaitPage = (db: Db, b: Bounds): PageReader<DurationRecord> => (limit, cursor) => durationPage(db, queueWaitRows(b, cursor), true, limit);
