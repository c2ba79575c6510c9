// The tickets list in one statement: a page in the chosen sort (optionally searched by words),
// and with a first page the capped count and the agents to filter by. Written as SQL text (as the
// inbox's lists are), times as epoch milliseconds and cursor positions as microseconds.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { fromMicros, type Row } from "../db/raw-values.ts";
import { rowsOf } from "../db/rows.ts";
import { agents, contacts, tickets } from "../db/schema/index.ts";
import { numberSearch, type ListCursor, type ListFilters, type Sort } from "./filters.ts";
import { COUNT_CAP, TICKET_PRIORITIES, type AgentChoice, type TicketRow } from "./model.ts";
import { agentChoices, PICKED_COLUMNS, ROW_COLUMNS, rowFrom } from "./row-sql.ts";
import { textSearch } from "./search-sql.ts";

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
