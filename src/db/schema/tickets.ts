import { index, integer, pgEnum, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { agents } from "./agents.ts";
import { at, createdAt, id } from "./columns.ts";
import { contacts } from "./contacts.ts";
import { conversations } from "./conversations.ts";

export const ticketStatus = pgEnum("ticket_status", ["open", "pending", "resolved", "closed"]);
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
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    status: ticketStatus("status").notNull().default("open"),
    priority: ticketPriority("priority").notNull().default("normal"),
    assigneeId: uuid("assignee_id").references(() => agents.id, { onDelete: "set null" }),
    createdById: uuid("created_by_id").references(() => agents.id, { onDelete: "set null" }),
    dueAt: at("due_at"),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
    resolvedAt: at("resolved_at"),
  },
  (t) => [
    index("tickets_status_updated_idx").on(t.status, t.updatedAt.desc()),
    index("tickets_conversation_idx").on(t.conversationId),
  ],
);
