// What the inbox reads about conversations: pages of a tab (with search and the tab counts), one
// summary, and everything an open conversation's pane shows. Each is one statement.
import type { Note } from "../notes/model.ts";
import type { Db } from "../db/database.ts";
import { LATEST_LIMIT } from "../messages/service.ts";
import type { MessageWithAuthor } from "../messages/model.ts";
import type { Label } from "../labels/model.ts";
import type { EventView } from "../../views/conversations/conversation-event.tsx";
import * as lists from "./list-queries.ts";
import {
  actorLabel,
  ConversationRefused,
  COUNT_CAP,
  decodeCursor,
  encodeCursor,
  MAX_PAGE_SIZE,
  PAGE_SIZE,
  type ContactDetails,
  type ConversationSummary,
  type EarlierConversation,
  type ListCursor,
  type ListRow,
  type PaneTicket,
  type Tab,
} from "./model.ts";
import { paneOf } from "./pane-queries.ts";
import { orderOf, type ListOrder } from "./list-order.ts";
import * as q from "./queries.ts";

export interface Page {
  rows: ListRow[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  next: string | null;
  /** The position of the last row shown (null without rows): a refresh asks for the rows down to it (`until`). */
  last: string | null;
}

/** Longest search text; longer is refused (400), not cut. */
const SEARCH_MAX_LENGTH = 100;

/** What a page request asks for, checked: a cursor that is not ours, or a search too long, is refused. */
function pageRequest(cursor: string | null, limit: number, search: string | null) {
  const decoded = cursor ? decodeCursor(cursor) : null;
  if (cursor && !decoded) throw new ConversationRefused("bad_request", "That page does not exist.");
  const text = search?.trim() || null;
  if (text && text.length > SEARCH_MAX_LENGTH) {
    throw new ConversationRefused("bad_request", `Search for at most ${SEARCH_MAX_LENGTH} characters.`);
  }
  return { cursor: decoded, size: Math.max(1, Math.min(limit, MAX_PAGE_SIZE)), search: text };
}

const positionOf = (p: lists.PageRow) => encodeCursor({ micros: p.positionMicros, id: p.row.id });

/** A page from one row more than it shows: whether there is a next page. */
function pageFrom(rows: lists.PageRow[], size: number): Page {
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return {
    rows: page.map((p) => p.row),
    next: rows.length > size && last ? positionOf(last) : null,
    last: last ? positionOf(last) : null,
  };
}

/** Whether a row sorts at or before `bound` in the order of the page (list-order.ts: newest activity first, or the queue's oldest wait first). */
function atOrBefore(p: lists.PageRow, bound: ListCursor, order: ListOrder): boolean {
  const diff = BigInt(p.positionMicros) - BigInt(bound.micros);
  const micros = order.descending ? diff : -diff;
  return micros > 0n || (micros === 0n && (order.descending ? p.row.id >= bound.id : p.row.id <= bound.id));
}

/**
 * A first page that reaches down to `bound` (the last row the agent had loaded), at most `size`
 * rows: a refresh keeps the pages loaded with "Load more". Rows past the bound stay behind Load more.
 */
function pageDownTo(rows: lists.PageRow[], bound: ListCursor, size: number, order: ListOrder): Page {
  const kept = rows.filter((row) => atOrBefore(row, bound, order));
  if (kept.length > size || kept.length === rows.length) return pageFrom(kept, size);
  const page = pageFrom(kept, size);
  return { ...page, next: page.last ?? encodeCursor(bound) };
}

/**
 * One page of a tab in its order (newest activity first; the queue longest wait first), optionally only rows whose contact name, email or
 * any message contains `search`, and only rows carrying the label `label` (an id); queued rows
 * come with their last messages. One statement. A cursor that is not ours, or a search too long, is refused.
 */
export async function listTab(
  db: Db,
  agentId: string,
  tab: Tab,
  cursor: string | null,
  limit = PAGE_SIZE,
  search: string | null = null,
  label: string | null = null,
): Promise<Page> {
  const r = pageRequest(cursor, limit, search);
  return pageFrom(await lists.listSummaries(db, tab, agentId, r.cursor, r.size + 1, r.search, label), r.size);
}

/**
 * The inbox page's list: a page of a tab (as listTab) with the tab counts (as tabCounts), in one
 * statement. With `until` (a refresh of a list extended with "Load more"), the first page reaches
 * down to that row, at most MAX_PAGE_SIZE rows. `filter.label` (an id) filters the rows; the counts
 * are the tabs' whatever the label, as the tab bar shows them. `filter.withLabels`: every label too.
 */
export async function inboxList(
  db: Db,
  agentId: string,
  tab: Tab,
  cursor: string | null,
  search: string | null = null,
  limit = PAGE_SIZE,
  until: string | null = null,
  filter: { label?: string | null; withLabels?: boolean } = {},
): Promise<Page & { counts: Record<Tab | "attention", number>; labels?: Label[] }> {
  const bound = until && !cursor ? decodeCursor(until) : null;
  if (until && !cursor && !bound) throw new ConversationRefused("bad_request", "That page does not exist.");
  const r = pageRequest(cursor, bound ? MAX_PAGE_SIZE : limit, search);
  const { rows, counts, labels } = await lists.listSummariesAndCounts(db, tab, agentId, r.cursor, r.size + 1, r.search, COUNT_CAP, filter);
  return { ...(bound ? pageDownTo(rows, bound, r.size, orderOf(tab)) : pageFrom(rows, r.size)), counts, ...(labels ? { labels } : {}) };
}

/** Counts per tab for the tab bar (and how many need this agent's attention), in one statement, each capped. */
export async function tabCounts(db: Db, agentId: string, cap = COUNT_CAP): Promise<Record<Tab | "attention", number>> {
  return lists.countTabs(db, agentId, cap);
}

export function summary(db: Db, conversationId: string): Promise<ConversationSummary | undefined> {
  return lists.summaryOf(db, conversationId);
}

/** Many conversations' summaries in one statement (see summariesById). */
export function summaries(db: Db, conversationIds: string[]): Promise<ConversationSummary[]> {
  return lists.summariesById(db, conversationIds);
}

export function findConversation(db: Db, id: string) {
  return q.findConversation(db, id);
}

export function findByContact(db: Db, inboxId: string, contactId: string) {
  return q.findByContact(db, inboxId, contactId);
}

export function findByContacts(db: Db, pairs: [inboxId: string, contactId: string][]) {
  return q.findByContacts(db, pairs);
}

export function eventsOf(db: Db, conversationId: string) {
  return q.eventsOf(db, conversationId);
}

export interface PaneData {
  summary: ConversationSummary;
  messages: MessageWithAuthor[];
  events: EventView[];
  contact: ContactDetails;
  earlier: EarlierConversation[];
  ticket: PaneTicket | null;
  /** Every label there is (the summary has the conversation's own). */
  labels: Label[];
  /** Private notes among them (agents only). */
  notes: Note[];
}

/** Everything an open conversation shows, in one statement (see pane-queries.ts). */
export async function conversationPane(db: Db, conversationId: string): Promise<PaneData | undefined> {
  const pane = await paneOf(db, conversationId, LATEST_LIMIT);
  if (!pane) return undefined;
  // Named as the verbs announce them.
  const events = pane.events.map(({ actorType, actorName, ...e }) => ({ ...e, actorName: actorLabel(actorType, actorName) }));
  return { summary: pane.summary, messages: pane.messages, events, contact: pane.contact, earlier: pane.earlier, ticket: pane.ticket, labels: pane.labels, notes: pane.notes };
}
