import type { Note } from "../notes/model.ts";
import type { conversations } from "../db/schema/index.ts";
import { Refusal } from "../http/refusal.ts";
import type { MessageWithAuthor, RecentMessage, Sender } from "../messages/model.ts";
import type { Label } from "../labels/model.ts";

export type Conversation = typeof conversations.$inferSelect;
export type ConversationStatus = Conversation["status"];
/** What a customer's message tells about the conversation it went to. */
export type ConversationRef = Pick<Conversation, "id" | "status" | "assigneeId" | "closedAt">;

/** The inbox tabs. "open" is every conversation that is neither closed nor snoozed; "snoozed" those that are (src/snooze). */
export const TABS = ["queue", "mine", "open", "snoozed", "closed"] as const;
export type Tab = (typeof TABS)[number];

/** The tab shown when the URL names none. */
export const DEFAULT_TAB: Tab = "open";

/** Tab counts are counted no further than this; past it the tab (and the title) says "99+". */
export const COUNT_CAP = 99;

/** Rows per page of a tab; "Load more" asks for the next page with the cursor of the last row. */
export const PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** Who did something, for conversation_events and what the other side is told. */
export type Actor = { type: "customer" } | { type: "bot" } | { type: "system" } | { type: "agent"; id: string; name: string };

/** Who did something, as the conversation shows it: no name means the customer; the bot and the system are SupportDesk. */
export function actorLabel(type: Actor["type"], agentName: string | null): string | null {
  if (type === "agent") return agentName ?? "An agent";
  return type === "customer" ? null : "SupportDesk";
}

/** `rated`: the customer rated the closed episode (src/satisfaction), data { rating, comment }. */
export type EventType = "created" | "queued" | "claimed" | "assigned" | "unassigned" | "closed" | "reopened" | "rated" | "snoozed" | "unsnoozed";

const REFUSED_STATUS = { not_found: 404, taken: 409, closed: 409, not_closed: 409, not_assigned: 409, changed: 409, no_such_agent: 422, bad_request: 400 } as const;

/**
 * Why an agent verb did nothing, answered with its status where the verb's result would have
 * gone (the inbox shows it beside the buttons); `code` lets a caller react.
 */
export class ConversationRefused extends Refusal {
  override name = "ConversationRefused";
  override readonly alert: string;
  constructor(
    override readonly code: keyof typeof REFUSED_STATUS,
    message: string,
    /** For "taken": who has it. */
    readonly takenBy?: string,
  ) {
    super(REFUSED_STATUS[code], code, message);
    this.alert = takenBy ? `Already taken by ${takenBy}` : message;
  }
}

/** A customer may not start (or reopen) another conversation yet: the new-conversation limit. */
export class ConversationLimited extends Refusal {
  override name = "ConversationLimited";
  constructor(override readonly retryAfter: number) {
    super(429, "rate_limited", `Too many new conversations. Try again in ${retryAfter} s.`, retryAfter);
  }
}

/**
 * Keyset cursor in a tab's order (list-order.ts): the last row's activity time, or for the queue its
 * queued time, in microseconds (as
 * PostgreSQL keeps it; a JavaScript date would lose the last three digits) and its id.
 * Opaque to clients; a malformed one is refused.
 */
export interface ListCursor {
  micros: string;
  id: string;
}

export function encodeCursor(c: ListCursor): string {
  return Buffer.from(`${c.micros}|${c.id}`).toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(raw: string): ListCursor | null {
  const [micros, id] = Buffer.from(raw, "base64url").toString().split("|");
  // 16 digits reach the year 2286: enough for any real row, and never outside PostgreSQL's range.
  if (!micros || !/^\d{1,16}$/.test(micros) || !id || !UUID.test(id)) return null;
  return { micros, id };
}

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** A conversation as its list row, its header and its live updates show it. */
export interface ConversationSummary {
  id: string;
  status: ConversationStatus;
  contactId: string;
  contactName: string | null;
  contactEmail: string | null;
  /** Where the visitor is, as the widget reported it (src/contacts/visit.ts): tells anonymous visitors apart in the list. */
  contactBrowser: string | null;
  contactPageUrl: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  lastActivityAt: Date;
  lastCustomerMessageAt: Date | null;
  lastAgentMessageAt: Date | null;
  lastSeq: number;
  customerReadSeq: number;
  agentReadSeq: number;
  offline: boolean;
  queuedAt: Date | null;
  /** 1-based place in the queue while queued. */
  queuePosition: number | null;
  /** The last message a person wrote (the customer or an agent; never the bot's or the system's): the row's preview. */
  lastMessageBody: string | null;
  lastMessageSender: Sender | null;
  /** Who wrote the last message, when an agent did ("You: " or their name in the list). */
  lastMessageAgentId: string | null;
  lastMessageAgentName: string | null;
  /** The labels it carries, by name (src/labels). */
  labels: Label[];
  /** Out of the open lists until then (src/snooze); null when not snoozed. */
  snoozedUntil: Date | null;
}

/** A row of an inbox tab: the summary and, for queued rows, their last messages. */
export type ListRow = ConversationSummary & { recent?: RecentMessage[] };

/** The customer's last word is unanswered: newer than the last agent message (ARCHITECTURE §3). */
export function needsAttention(c: Pick<Conversation, "status" | "lastCustomerMessageAt" | "lastAgentMessageAt"> & { snoozedUntil?: Date | null }): boolean {
  if (c.status === "closed" || c.status === "bot" || !c.lastCustomerMessageAt || c.snoozedUntil) return false;
  return !c.lastAgentMessageAt || c.lastCustomerMessageAt > c.lastAgentMessageAt;
}

// --- what the open conversation's pane shows (pane-queries.ts reads it) ---

export interface PaneEvent {
  id: string;
  type: EventType;
  actorType: Actor["type"];
  actorName: string | null;
  targetName: string | null;
  /** A `rated` event's rating (1-5) and comment. */
  rating?: number | null;
  comment?: string | null;
  createdAt: Date;
}

export interface AgentOption {
  id: string;
  name: string;
}

export interface ContactDetails {
  id: string;
  name: string | null;
  email: string | null;
  /** The embedding site signed the email (an identity token's claim). */
  emailVerified: boolean;
  /** Set only once the embedding site verified the user (identity HMAC or token). */
  externalId: string | null;
  attributes: Record<string, string | number | boolean | null>;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** The page the widget was last opened on (http or https), and the browser, as the visitor reported them. */
  lastPageUrl: string | null;
  browser: string | null;
  /** What agents wrote about this person (the contact panel); never shown to the customer. */
  notes: string | null;
  inboxName: string;
  /** Active agents, by name: whom the conversation can be assigned to. */
  agents: AgentOption[];
}

/** Another conversation of the same person: by email in the same inbox, by verified email in any (see pane-queries.ts). */
export interface EarlierConversation {
  id: string;
  inboxName: string;
  status: ConversationSummary["status"];
  lastActivityAt: Date;
  /** The newest message, for a one-line preview ("" when there is none). */
  preview: string;
  /** How it was matched: an email verified on both sides is the same person; an unverified one only says it is. */
  matchedBy: "verified email" | "email";
}

/** The conversation's ticket: the one not closed, else the latest closed one. */
export interface PaneTicket {
  id: string;
  number: number;
  title: string;
  status: "open" | "pending" | "solved" | "closed";
  priority: "low" | "normal" | "high" | "urgent";
}

export interface Pane {
  summary: ConversationSummary;
  /** The newest messages, oldest first, with the name of the agent who wrote each. */
  messages: MessageWithAuthor[];
  /** The events from the oldest message shown on (all when every message is shown), oldest first. */
  events: PaneEvent[];
  contact: ContactDetails;
  earlier: EarlierConversation[];
  ticket: PaneTicket | null;
  /** Every label there is, for the "Labels" menu (the summary has the conversation's own). */
  labels: Label[];
  /** Private notes from the oldest message shown on, oldest first (agents only). */
  notes: Note[];
}
