import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { agents } from "./agents.ts";
import { at, createdAt, id } from "./columns.ts";
import { contacts } from "./contacts.ts";
import { inboxes } from "./inboxes.ts";

/** bot -> queued -> assigned -> closed; a customer message reopens a closed one. */
export const conversationStatus = pgEnum("conversation_status", ["bot", "queued", "assigned", "closed"]);

export const conversations = pgTable(
  "conversations",
  {
    id: id(),
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    status: conversationStatus("status").notNull(),
    assigneeId: uuid("assignee_id").references(() => agents.id, { onDelete: "set null" }),
    /** Snoozed until then: out of the open lists; back at that time, or when the customer writes. */
    snoozedUntil: at("snoozed_until"),
    /** The seq of the newest message; the next message takes lastSeq + 1 under a row lock. */
    lastSeq: integer("last_seq").notNull().default(0),
    /** Read receipts: the highest seq each side has seen ("Seen" under the other side's message). */
    customerReadSeq: integer("customer_read_seq").notNull().default(0),
    agentReadSeq: integer("agent_read_seq").notNull().default(0),
    /**
     * Agent replies up to this seq have had their reply email decided (sent, or not needed because
     * the customer read them): a reply is emailed at most once (src/mail/reply-email-job.ts).
     */
    replyEmailedSeq: integer("reply_emailed_seq").notNull().default(0),
    /** Started while no agent was online: the customer left an address to be answered by email. */
    offline: boolean("offline").notNull().default(false),
    lastActivityAt: at("last_activity_at").notNull().defaultNow(),
    lastCustomerMessageAt: at("last_customer_message_at"),
    lastAgentMessageAt: at("last_agent_message_at"),
    firstResponseAt: at("first_response_at"),
    queuedAt: at("queued_at"),
    closedAt: at("closed_at"),
    // Kept by the service as the conversation moves, so that analytics reads each interval's
    // start from the row that ends it instead of searching the event log (see analytics/duration-queries.ts).
    /** The first time the customer waited for a person (first queued); never moves. */
    firstQueuedAt: at("first_queued_at"),
    /** The author of the first agent message (first_response_at). */
    firstResponderId: uuid("first_responder_id").references(() => agents.id, { onDelete: "set null" }),
    /** When the current episode began: creation, or the latest reopen. */
    episodeStartedAt: at("episode_started_at"),
    /** When it last entered the queue (queued, put back, reopened to the queue); queued_at keeps its place. */
    queueEnteredAt: at("queue_entered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    // Continuity: one thread per customer per inbox.
    uniqueIndex("conversations_inbox_contact_key").on(t.inboxId, t.contactId),
    // The inbox tabs, newest activity first. `.desc()` builds DESC NULLS LAST: the lists must
    // order by `desc nulls last` to be served by these (see summaryStatement in conversations/summary-sql.ts).
    // Every customer message moves its conversation's last_activity_at, and each index on it
    // takes a new entry per message: the open conversations, which take the messages, are in as
    // few as the tabs need.
    // "Closed": the archive, in one ordered scan.
    index("conversations_closed_activity_idx")
      .on(t.lastActivityAt.desc(), t.id.desc())
      .where(sql`${t.status} = 'closed'`),
    // "Mine": an agent's open conversations, in one ordered scan (and their count, and their part
    // of "needs attention"); closed ones, most of the table, are left out.
    index("conversations_mine_activity_idx")
      .on(t.assigneeId, t.lastActivityAt.desc(), t.id.desc())
      .where(sql`${t.status} <> 'closed'`),
    // "All open": one ordered scan instead of merging three statuses and sorting.
    index("conversations_open_activity_idx")
      .on(t.lastActivityAt.desc(), t.id.desc())
      .where(sql`${t.status} <> 'closed'`),
    // "Queue": the waiting ones, newest activity first. Without it the tab walked "All open" and
    // skipped the assigned ones (450 buffers for a page at 400 queued among 6,600 open, against 30);
    // only queued rows' messages add entries to it.
    index("conversations_queue_activity_idx")
      .on(t.lastActivityAt.desc(), t.id.desc())
      .where(sql`${t.status} = 'queued'`),
    // The queue in order (oldest wait first), and the places in it, from the index alone.
    index("conversations_queue_idx").on(t.queuedAt, t.id).where(sql`${t.status} = 'queued'`),
    // Snoozes that come due (the wake-up sweep).
    index("conversations_snoozed_idx").on(t.snoozedUntil).where(sql`${t.snoozedUntil} is not null`),
  ],
);

export const actorType = pgEnum("actor_type", ["customer", "agent", "bot", "system"]);

/** Append-only log of state changes; analytics reads it, nothing updates it. */
export const conversationEvents = pgTable(
  "conversation_events",
  {
    id: id(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    /** e.g. created, queued, claimed, assigned, unassigned, closed, reopened. */
    type: text("type").notNull(),
    actorType: actorType("actor_type").notNull(),
    actorAgentId: uuid("actor_agent_id").references(() => agents.id, { onDelete: "set null" }),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    /**
     * The start of the interval this event ends, stamped when it is written: for `closed`, when
     * the episode began; for a claim or assignment that took the conversation out of the queue,
     * when it entered the queue. Null for every other event.
     */
    startedAt: at("started_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("conversation_events_conversation_idx").on(t.conversationId, t.createdAt),
    index("conversation_events_type_time_idx").on(t.type, t.createdAt),
  ],
);
