// The inbox's lists: a page of a tab (optionally searched), the tab counts, the rows a push
// names, one summary, a contact's name, and the queue's order. Each is one statement (see summary-sql.ts).
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import { contacts, conversationLabels, conversations, labels, messages } from "../db/schema/index.ts";
import type { Label } from "../labels/model.ts";
import type { ConversationSummary, ListCursor, ListRow, Tab } from "./model.ts";
import type { Row } from "../db/raw-values.ts";
import { listRowFrom, previewSql, summaryFrom, summaryRows } from "./summary-sql.ts";
import { afterSql, BY_ACTIVITY, orderBySql, orderOf, positionSql } from "./list-order.ts";
import { visitorNumberIn, visitorNumberSql } from "../contacts/display-name.ts";

/**
 * Statuses are SQL literals, not parameters (as the limits, see summaryStatement in summary-sql.ts): the generic plan
 * of a prepared statement can use the partial index (status <> 'closed') and estimate how many
 * rows a status has only when it sees the value.
 */
function tabFilter(tab: Tab, agentId: string): SQL {
  // A snoozed conversation leaves the open tabs until it wakes (src/snooze); closing clears a snooze.
  switch (tab) {
    case "queue":
      return sql`${conversations.status} = 'queued' and ${conversations.snoozedUntil} is null`;
    case "mine":
      return sql`${conversations.assigneeId} = ${agentId} and ${conversations.status} <> 'closed' and ${conversations.snoozedUntil} is null`;
    case "open":
      return sql`${conversations.status} <> 'closed' and ${conversations.snoozedUntil} is null`;
    case "snoozed":
      return sql`${conversations.snoozedUntil} is not null and ${conversations.status} <> 'closed'`;
    case "closed":
      return sql`${conversations.status} = 'closed'`;
  }
}

/** `value` as a literal ILIKE pattern: its own %, _ and \\ match themselves, anywhere in the text. */
function containsPattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Search by the contact's name or email (or a nameless visitor's "Visitor 4821") or the text of
 * any message. No index serves `ILIKE '%x%'` (a pg_trgm GIN index on contacts.name/email and
 * messages.body would); the page LIMIT
 * bounds the rows returned, and the scan stops as soon as a page is full.
 */
function searchFilter(text: string): SQL {
  const pattern = containsPattern(text);
  // "Visitor 4821" finds the nameless visitor the list calls so (src/contacts/display-name.ts).
  const visitor = visitorNumberIn(text);
  const byVisitorName = visitor === null ? sql`` : sql` or (coalesce(trim(c.name), '') = '' and coalesce(trim(c.email), '') = '' and ${visitorNumberSql("c")} = ${visitor})`;
  return sql`(exists (
    select 1 from ${contacts} c where c.id = ${conversations.contactId} and (c.name ilike ${pattern} or c.email ilike ${pattern}${byVisitorName})
  ) or exists (
    select 1 from ${messages} m where m.conversation_id = ${conversations.id} and m.body ilike ${pattern}
  ))`;
}

/** Conversations carrying the label (conversation_labels' key: one probe per conversation the page reads). */
function labelFilter(labelId: string): SQL {
  return sql`exists (select 1 from ${conversationLabels} cl where cl.conversation_id = ${conversations.id} and cl.label_id = ${labelId}::uuid)`;
}

/**
 * A row of a page and its position (the cursor's microseconds of the tab's order: activity, or the
 * queue's wait), side by side: no copy of the row to add or drop it.
 */
export type PageRow = { row: ListRow; positionMicros: string };

/** What picks a page of a tab, in the tab's order (list-order.ts), and the columns a page's rows have beside the summary. */
function pageOf(tab: Tab, agentId: string, cursor: ListCursor | null, search: string | null, label: string | null) {
  const order = orderOf(tab);
  const after = cursor ? afterSql(order, cursor.micros, cursor.id) : undefined;
  return {
    order,
    where: and(tabFilter(tab, agentId), after, search ? searchFilter(search) : undefined, label ? labelFilter(label) : undefined)!,
    // Microseconds: JavaScript dates stop at milliseconds, and a truncated cursor would skip rows
    // whose time falls within the same millisecond.
    extra: sql`${positionSql(order)} as "positionMicros", ${previewSql}`,
  };
}

const pageRowFrom = (r: Row): PageRow => ({ row: listRowFrom(r), positionMicros: String(r.positionMicros) });

/** One page of a tab in its order (newest activity first; the queue longest wait first), each row with its cursor position. */
export async function listSummaries(
  db: Db,
  tab: Tab,
  agentId: string,
  cursor: ListCursor | null,
  limit: number,
  search: string | null = null,
  label: string | null = null,
): Promise<PageRow[]> {
  const { where, extra, order } = pageOf(tab, agentId, cursor, search, label);
  return (await summaryRows(db, where, limit, extra, undefined, order)).map(pageRowFrom);
}

/** Every label by name, as JSON text: parsed once, not with every row the head comes with. */
const allLabelsColumn = sql`(select coalesce(json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color) order by lower(l.name), l.id), '[]'::json)::text
  from ${labels} l) as "allLabels"`;

/**
 * A page of a tab (as listSummaries) and the tab counts (as countTabs, whatever the label), in one
 * statement; `withLabels`: every label too, for the list's filter.
 */
export async function listSummariesAndCounts(
  db: Db,
  tab: Tab,
  agentId: string,
  cursor: ListCursor | null,
  limit: number,
  search: string | null,
  cap: number,
  filter: { label?: string | null; withLabels?: boolean } = {},
): Promise<{ rows: PageRow[]; counts: TabCounts; labels?: Label[] }> {
  const { where, extra, order } = pageOf(tab, agentId, cursor, search, filter.label ?? null);
  const head = filter.withLabels ? sql`${countColumns(agentId, cap)}, ${allLabelsColumn}` : countColumns(agentId, cap);
  const rows = await summaryRows(db, where, limit, extra, head, order);
  const labelsJson = rows[0]?.allLabels;
  return {
    rows: rows.filter((r) => r.id !== null).map(pageRowFrom),
    counts: countsFrom(rows[0]),
    ...(typeof labelsJson === "string" ? { labels: JSON.parse(labelsJson) as Label[] } : {}),
  };
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

/**
 * The summaries of these conversations (no previews), in one statement: their queue places come
 * from one scan of the queue, where a statement per conversation scans up to each one's place.
 */
export async function summariesById(db: Db, ids: string[]): Promise<ConversationSummary[]> {
  if (!ids.length) return [];
  return (await summaryRows(db, sql`${conversations.id} = any(${`{${ids.join(",")}}`}::uuid[])`, undefined)).map(summaryFrom);
}

export async function summaryOf(db: Db, id: string): Promise<ConversationSummary | undefined> {
  const [row] = await summaryRows(db, eq(conversations.id, id), 1);
  return row && summaryFrom(row);
}

export type TabCounts = Record<Tab | "attention", number>;

/** The tab counts as columns (queue, mine, open, snoozed, closed, attention), each counting no further than `cap`. */
function countColumns(agentId: string, cap: number): SQL {
  // `order`: read in an index's order, so that PostgreSQL walks that index. Without it, a count that
  // stops at `cap` looked cheapest as a table scan (it assumes the rows it wants are spread evenly),
  // but open conversations are the newest, at the end of the table: the "All open" count read every
  // closed row first (2,173 buffers and 13-19 ms at 100,000 conversations, against 103 and 0.5 ms).
  const capped = (filter: SQL, order?: SQL) =>
    sql<number>`(select count(*)::int from (select 1 from ${conversations} where ${filter}${order ? sql` order by ${order}` : sql``} limit ${sql.raw(String(Math.trunc(cap) + 1))}) s)`;
  // Needs attention (model.needsAttention) among what this agent should answer: the queue and their own.
  // "Queued or assigned" is spelled "neither closed nor with the bot" so that it is read from the
  // "Mine" index (open conversations by assignee) alone: as `status in (...)` PostgreSQL combined
  // it with a second index, and under a stream of messages every index on open conversations holds
  // an entry for each past version of each row until vacuum (100,000 for 7,000 rows in the
  // benchmark): the count took 11 ms instead of 0.3.
  const attention = sql`${conversations.status} <> 'closed' and ${conversations.status} <> 'bot'
    and (${conversations.assigneeId} is null or ${conversations.assigneeId} = ${agentId})
    and ${conversations.lastCustomerMessageAt} is not null and ${conversations.snoozedUntil} is null
    and (${conversations.lastAgentMessageAt} is null or ${conversations.lastCustomerMessageAt} > ${conversations.lastAgentMessageAt})`;
  return sql`${capped(tabFilter("queue", agentId))} as queue,
    ${capped(tabFilter("mine", agentId))} as mine,
    ${capped(tabFilter("open", agentId), orderBySql(BY_ACTIVITY))} as open,
    ${capped(tabFilter("snoozed", agentId))} as snoozed,
    ${capped(tabFilter("closed", agentId))} as closed,
    ${capped(attention)} as attention`;
}

function countsFrom(row: Row | undefined): TabCounts {
  const n = (key: string) => Number(row?.[key] ?? 0);
  return { queue: n("queue"), mine: n("mine"), open: n("open"), snoozed: n("snoozed"), closed: n("closed"), attention: n("attention") };
}

/** The statement of countTabs. */
export function tabCountsSql(agentId: string, cap: number): SQL {
  return sql`select ${countColumns(agentId, cap)}`;
}

/** Counts for the tab bar and the page title in one statement, each counting no further than `cap`. */
export async function countTabs(db: Db, agentId: string, cap: number): Promise<TabCounts> {
  return countsFrom(rowsOf<Row>(await db.execute(tabCountsSql(agentId, cap)))[0]);
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
