// The SQL of /analytics but the durations (duration-queries.ts): conversations per day, the
// agents, what needs attention now, tickets. Every figure is aggregated in the database: the page
// reads a few dozen rows however many conversations there are; the CSV downloads read their rows
// a page at a time.
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
import { sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import type { AgentRow } from "./model.ts";
import { after, aggregate, exact, hi, iso, lo, type Bounds, type Cursor } from "./range-sql.ts";

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
  contactId: string;
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
    sql`select c.id, c.contact_id as "contactId", ct.name as "contactName", ct.email as "contactEmail", c.status, a.name as "assigneeName",
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
