// The order of a list of conversations, and its keyset. Every tab shows the newest activity first
// except the queue, which shows the longest wait first: its rows then read "#1 in queue", "#2 in
// queue"… from the top, the places its customers are told (queue_place in summary-sql.ts).
import { sql, type SQL } from "drizzle-orm";
import type { Tab } from "./model.ts";

export interface ListOrder {
  /** The conversations column a page is sorted and its cursor keyed on (then the id). */
  column: "last_activity_at" | "queued_at";
  /** Newest first (activity) or oldest first (the queue's wait). */
  descending: boolean;
}

export const BY_ACTIVITY: ListOrder = { column: "last_activity_at", descending: true };
export const BY_WAIT: ListOrder = { column: "queued_at", descending: false };

export function orderOf(tab: Tab): ListOrder {
  return tab === "queue" ? BY_WAIT : BY_ACTIVITY;
}

/**
 * ORDER BY for rows of `table` ("picked" or empty). Newest first is spelled DESC NULLS LAST because
 * that is how drizzle-kit built the indexes on (last_activity_at, id) (see summaryStatement); the
 * queue's ascending order is that of conversations_queue_idx (queued_at, id).
 */
export function orderBySql(order: ListOrder, table?: string): SQL {
  const p = table ? `${table}.` : "";
  return sql.raw(order.descending ? `${p}${order.column} desc nulls last, ${p}id desc nulls last` : `${p}${order.column}, ${p}id`);
}

/** Rows after the cursor's position (microseconds of `column`, and the id) in this order. */
export function afterSql(order: ListOrder, micros: string, id: string): SQL {
  const at = sql`(timestamptz 'epoch' + ${micros}::bigint * interval '1 microsecond')`;
  const key = sql.raw(`("conversations"."${order.column}", "conversations"."id")`);
  return order.descending ? sql`${key} < (${at}, ${id}::uuid)` : sql`${key} > (${at}, ${id}::uuid)`;
}

/** The cursor's position of a picked row: its `column` in microseconds, as text. */
export function positionSql(order: ListOrder): SQL {
  return sql.raw(`(extract(epoch from picked.${order.column}) * 1000000)::bigint::text`);
}
