import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { agents } from "./agents.ts";
import { at, createdAt, id } from "./columns.ts";
import { contacts } from "./contacts.ts";
import { conversations } from "./conversations.ts";

export const ticketStatus = pgEnum("ticket_status", ["open", "pending", "solved", "closed"]);
/** In rising urgency: `order by priority desc` puts urgent first (enums sort in declared order). */
export const ticketPriority = pgEnum("ticket_priority", ["low", "normal", "high", "urgent"]);

/** Tracked work, usually made from a conversation. */
export const tickets = pgTable(
  "tickets",
  {
    id: id(),
    /** Human-friendly "#123"; from a sequence so it never repeats. */
    number: integer("number").generatedAlwaysAsIdentity().notNull(),
    conversationId: uuid("conversation_id").references(() => conversations.id, { onDelete: "set null" }),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    /** The subject shown in the list ("Subject" in the UI). */
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    status: ticketStatus("status").notNull().default("open"),
    priority: ticketPriority("priority").notNull().default("normal"),
    assigneeId: uuid("assignee_id").references(() => agents.id, { onDelete: "set null" }),
    createdById: uuid("created_by_id").references(() => agents.id, { onDelete: "set null" }),
    dueAt: at("due_at"),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
    /** When it was last marked solved; cleared when it is opened again. */
    resolvedAt: at("resolved_at"),
  },
  (t) => [
    // "#123" in a URL or a search finds its ticket with one probe.
    uniqueIndex("tickets_number_key").on(t.number),
    // The list's text filter: the subject's words ('simple': no stemming, no stop words, so any
    // word a subject holds can be found, in any language), matched by prefix.
    index("tickets_title_words_idx").using("gin", sql`to_tsvector('simple', ${t.title})`),
    // A conversation has at most one ticket that is not closed; this holds it under races.
    uniqueIndex("tickets_one_unclosed_per_conversation")
      .on(t.conversationId)
      .where(sql`${t.status} <> 'closed'`),
    index("tickets_conversation_idx").on(t.conversationId),
    // The list's three sort orders, each one ordered scan (`.desc()` is DESC NULLS LAST: the
    // list orders the same way). Filters on status, priority and assignee are checked on the way.
    index("tickets_updated_idx").on(t.updatedAt.desc(), t.id.desc()),
    index("tickets_created_idx").on(t.createdAt.desc(), t.id.desc()),
    index("tickets_priority_updated_idx").on(t.priority.desc(), t.updatedAt.desc(), t.id.desc()),
    index("tickets_status_updated_idx").on(t.status, t.updatedAt.desc(), t.id.desc()),
    index("tickets_assignee_updated_idx").on(t.assigneeId, t.updatedAt.desc(), t.id.desc()),
  ],
);

/**
 * Append-only history of a ticket: created, and each change of status, priority or assignee,
 * with who and when. `from`/`to` are the values (an assignee's agent id, or null for nobody).
 */
export const ticketEvents = pgTable(
  "ticket_events",
  {
    id: id(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    /** created | status | priority | assignee */
    type: text("type").notNull(),
    actorAgentId: uuid("actor_agent_id").references(() => agents.id, { onDelete: "set null" }),
    from: text("from"),
    to: text("to"),
    createdAt: createdAt(),
  },
  (t) => [index("ticket_events_ticket_idx").on(t.ticketId, t.createdAt)],
);

/** Internal comments: seen by agents only, never by the customer. */
export const ticketComments = pgTable(
  "ticket_comments",
  {
    id: id(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => agents.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("ticket_comments_ticket_idx").on(t.ticketId, t.createdAt)],
);
