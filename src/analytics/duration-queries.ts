// The three durations (first response, resolution, queue wait): their medians and 90th
// percentiles for the page, and their rows a page at a time for the CSV files. How each is
// counted is written at the top of queries.ts.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import type { DurationStats } from "./model.ts";
import { after, aggregate, exact, hi, iso, lo, seconds, type Bounds, type Cursor } from "./range-sql.ts";

// The rows behind the three durations.
// Each is a subquery with the columns row_id (the CSV cursor's tie-breaker), conversation_id,
// started_at, ended_at and agent_id; `cursor` narrows it to the rows after a CSV page. Each
// interval's start was recorded when the row that ends it was written
// (conversation_events.started_at, conversations.first_queued_at; see conversations/locked.ts),
// so each is one range scan of one table: no joins, no lookups per row.

/** When the customer of conversation `c` first waited for a person, for its first response. */
/** When a conversation started waiting for its first response (analytics, and the widget's expected reply time). */
export const waitedSince = sql`case when c.first_queued_at <= c.first_response_at then c.first_queued_at else c.created_at end`;

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
