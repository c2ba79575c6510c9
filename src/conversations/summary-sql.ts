// The one statement every conversation summary is read with (the list rows, a pushed row, the
// header, the pane), and how its rows become ConversationSummary and ListRow.
import { messageTextSql } from "../messages/message-text.ts";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { dateOf, dateOrNull, epochMs, textOrNull, type Row } from "../db/raw-values.ts";
import { rowsOf } from "../db/rows.ts";
import type { Sender } from "../messages/model.ts";
import { agents, contacts, conversationLabels, conversations, labels, messages } from "../db/schema/index.ts";
import type { Label } from "../labels/model.ts";
import type { ConversationSummary, ListRow } from "./model.ts";
import { BY_ACTIVITY, orderBySql, type ListOrder } from "./list-order.ts";

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
 * The summaries of the conversations `where` picks (a condition on `conversations`), in `order`
 * (newest activity first unless told, see list-order.ts), at most `limit` of them, with `extra` columns (SQL on `picked`, the
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
function summaryStatement(where: SQL, limit: number | undefined, extra?: SQL, head?: SQL, order: ListOrder = BY_ACTIVITY): SQL {
  const joined = sql`picked
    join ${contacts} c on c.id = picked.contact_id
    left join ${agents} assignee on assignee.id = picked.assignee_id
    left join queue_place on queue_place.id = picked.id
    left join lateral (${lastWordSql}) last_message on true
    left join ${agents} last_author on last_author.id = last_message.agent_id`;
  return sql`with picked as (
    select * from ${conversations} where ${where}
    order by ${orderBySql(order)}
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
  order by ${orderBySql(order, "picked")}`;
}

/**
 * The message a row previews: the last one a person wrote, the customer or an agent. The bot's
 * automated answers and system messages are never the preview ("the customer's last words"): a
 * backward scan of the conversation's messages by seq that stops at the first person's.
 */
const lastWordSql = sql`select m.* from ${messages} m where m.conversation_id = picked.id and m.sender in ('customer', 'agent') order by m.seq desc limit 1`;

/** The conversation's labels by name, as JSON: a probe of conversation_labels' key, none for most rows. */
const labelsSql = sql`(select coalesce(json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color) order by lower(l.name), l.id), '[]'::json)
  from ${conversationLabels} cl join ${labels} l on l.id = cl.label_id where cl.conversation_id = picked.id) as labels`;

/** What summaryFrom reads, named as ConversationSummary names it. */
const SUMMARY_COLUMNS = sql`picked.id, picked.status, picked.contact_id as "contactId", c.name as "contactName", c.email as "contactEmail",
  c.browser as "contactBrowser", c.last_page_url as "contactPageUrl",
  picked.assignee_id as "assigneeId", assignee.name as "assigneeName", ${epochMs(sql`picked.last_activity_at`)} as "lastActivityAt",
  ${epochMs(sql`picked.last_customer_message_at`)} as "lastCustomerMessageAt", ${epochMs(sql`picked.last_agent_message_at`)} as "lastAgentMessageAt",
  picked.last_seq as "lastSeq", picked.customer_read_seq as "customerReadSeq", picked.agent_read_seq as "agentReadSeq",
  picked.offline, ${epochMs(sql`picked.queued_at`)} as "queuedAt", queue_place.position as "queuePosition",
  ${messageTextSql("last_message")} as "lastMessageBody", last_message.sender as "lastMessageSender",
  last_message.agent_id as "lastMessageAgentId", last_author.name as "lastMessageAgentName", ${labelsSql},
  ${epochMs(sql`picked.snoozed_until`)} as "snoozedUntil"`;


export function summaryFrom(r: Row): ConversationSummary {
  return {
    id: String(r.id),
    status: r.status as ConversationSummary["status"],
    contactId: String(r.contactId),
    contactName: textOrNull(r.contactName),
    contactEmail: textOrNull(r.contactEmail),
    contactBrowser: textOrNull(r.contactBrowser),
    contactPageUrl: textOrNull(r.contactPageUrl),
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
    labels: (r.labels as Label[] | null | undefined) ?? [],
    snoozedUntil: dateOrNull(r.snoozedUntil),
  };
}

export async function summaryRows(db: Db, where: SQL, limit: number | undefined, extra?: SQL, head?: SQL, order?: ListOrder): Promise<Row[]> {
  return rowsOf<Row>(await db.execute(summaryStatement(where, limit, extra, head, order)));
}

/** Messages a queued row previews (the handoff queue's transcript). */
const QUEUE_PREVIEW_MESSAGES = 3;

/** A queued row's last messages (null for other rows), oldest first, as JSON: one backward index scan each. */
export const previewSql = sql`case when picked.status = 'queued' then (
    select coalesce(json_agg(json_build_object('seq', r.seq, 'sender', r.sender, 'agentName', r.agent_name, 'body', r.body, 'createdAt', r.created_at) order by r.seq), '[]'::json)
    from (
      select m.seq, m.sender, (select a.name from ${agents} a where a.id = m.agent_id) as agent_name, ${messageTextSql("m")} as body, ${epochMs(sql`m.created_at`)} as created_at
      from ${messages} m
      where m.conversation_id = picked.id
      order by m.seq desc
      limit ${sql.raw(String(QUEUE_PREVIEW_MESSAGES))}
    ) r
  ) end as recent`;

type PreviewJson = { seq: number; sender: Sender; agentName: string | null; body: string; createdAt: number };

/** A list row: the summary, and for a queued row its last messages. */
export function listRowFrom(r: Row): ListRow {
  const row: ListRow = summaryFrom(r);
  const recent = r.recent as PreviewJson[] | null;
  // Set on the summary just made rather than copied into a new object: a page has 26 rows of 20 fields.
  if (recent) row.recent = recent.map((m) => ({ ...m, conversationId: row.id, createdAt: dateOf(m.createdAt) }));
  return row;
}
