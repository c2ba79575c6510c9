// What a ticket is, as every part of the tickets domain and its views know it: statuses and
// priorities, limits, the refusal, and the shapes of the rows and pages shown. Forms and their
// parsing are in forms.ts; the list's filters, sorts and cursors in filters.ts.
import type { tickets } from "../db/schema/index.ts";
import { Refusal } from "../http/refusal.ts";
import type { MessageWithAuthor } from "../messages/model.ts";

export const TICKET_STATUSES = ["open", "pending", "solved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** In rising urgency, as the enum declares them (`order by priority desc` is urgent first). */
export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export type Ticket = typeof tickets.$inferSelect;

export const LIMITS = {
  subject: 200,
  /** What the subject is prefilled with is cut here (at a word), well under the limit. */
  subjectPrefill: 80,
  description: 10_000,
  comment: 5_000,
  search: 100,
} as const;

/** Rows per page of the list; "Load more" asks for the next page after the last row. */
export const PAGE_SIZE = 25;
/**
 * The list's count stops here ("More than 500 tickets"): counting costs a row read per match (and
 * a text match per row read), which for 50,000 tickets would cost more than the page.
 */
export const COUNT_CAP = 500;
/** The ticket page shows the conversation's newest messages, up to this many. */
export const TRANSCRIPT_LIMIT = 100;

export const isStatus = (value: unknown): value is TicketStatus => (TICKET_STATUSES as readonly unknown[]).includes(value);
export const isPriority = (value: unknown): value is TicketPriority => (TICKET_PRIORITIES as readonly unknown[]).includes(value);

/** A ticket number as URLs and searches spell it ("123"); null for anything else. */
export function parseTicketNumber(raw: unknown): number | null {
  if (typeof raw !== "string" || !/^\d{1,10}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= 2 ** 31 - 1 ? n : null;
}

const REFUSED_STATUS = { not_found: 404, conversation_not_found: 404, unclosed_exists: 409, invalid: 422 } as const;

/** Why a ticket verb did nothing; the page shows `message` (or the fields'), and `code` picks the HTTP status. */
export class TicketRefused extends Refusal {
  override name = "TicketRefused";
  constructor(
    override readonly code: keyof typeof REFUSED_STATUS,
    message: string,
    /** unclosed_exists: the conversation's ticket that is not closed. */
    readonly existing?: { number: number; title: string },
    /** invalid: a message per form field. */
    readonly fields: Partial<Record<TicketField, string>> = {},
  ) {
    super(REFUSED_STATUS[code], code, message);
  }
}

export type TicketField = "subject" | "description" | "status" | "priority" | "assigneeId" | "body";

/** The new-ticket form as the page shows it: what was typed, so that a refused post loses nothing. */
export interface NewTicketValues {
  conversationId: string;
  subject: string;
  description: string;
  status: string;
  priority: string;
  assigneeId: string;
}

/** A row of the list, as the page, "Load more" and the live push render it. */
export interface TicketRow {
  id: string;
  number: number;
  title: string;
  status: TicketStatus;
  priority: TicketPriority;
  assigneeId: string | null;
  assigneeName: string | null;
  conversationId: string | null;
  /** The customer, if the ticket has one (their display name: src/contacts/display-name.ts). */
  contactId: string | null;
  contactName: string | null;
  contactEmail: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AgentChoice {
  id: string;
  name: string;
  active: boolean;
}

// --- the pages ------------------------------------------------------------------------------------

export interface NewTicketContext {
  /** null for a ticket without a conversation. */
  conversation: {
    id: string;
    contactId: string;
    contactName: string | null;
    contactEmail: string | null;
    firstCustomerMessage: string | null;
    /** Its ticket that is not closed, if it has one. */
    unclosed: { number: number; title: string } | null;
  } | null;
  agents: AgentChoice[];
}


/** What a ticket's history records. */
export type TicketEventType = "created" | "status" | "priority" | "assignee";

/** One change in a ticket's history, with the names it needs. */
export interface HistoryEvent {
  id: string;
  type: TicketEventType;
  /** null: the agent was deleted. */
  actorName: string | null;
  from: string | null;
  to: string | null;
  /** For assignee changes: the agents' names (null for nobody, or a deleted agent). */
  fromName: string | null;
  toName: string | null;
  createdAt: Date;
}

export interface TicketComment {
  id: string;
  authorName: string | null;
  body: string;
  createdAt: Date;
}

export interface TicketDetail extends TicketRow {
  description: string;
  createdByName: string | null;
  resolvedAt: Date | null;
  /** The conversation's newest messages (TRANSCRIPT_LIMIT), oldest first; [] without a conversation. */
  transcript: MessageWithAuthor[];
  /** How many messages the conversation has (the transcript may show fewer). */
  messageCount: number;
  history: HistoryEvent[];
  comments: TicketComment[];
  agents: AgentChoice[];
}
