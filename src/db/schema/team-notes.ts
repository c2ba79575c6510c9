import { sql } from "drizzle-orm";
import { index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { agents } from "./agents.ts";
import { conversations } from "./conversations.ts";
import { at, createdAt, id } from "./columns.ts";

/**
 * A private note in a conversation: agents only. A table of its own, never a message, so that no
 * path that sends messages to a customer (the widget, emails, the customer API) can carry one.
 */
export const conversationNotes = pgTable(
  "conversation_notes",
  {
    id: id(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id").references(() => agents.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    /** The note form's own id: a retry with the same clientId returns the original. */
    clientId: text("client_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("conversation_notes_conversation_idx").on(t.conversationId, t.createdAt),
    uniqueIndex("conversation_notes_client_id_key").on(t.conversationId, t.clientId),
  ],
);

/** What an agent is told of in the inbox's notifications menu: for now, being mentioned in a note. */
export const agentNotifications = pgTable(
  "agent_notifications",
  {
    id: id(),
    /** Who is told. */
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    /** e.g. "mention". */
    kind: text("kind").notNull(),
    conversationId: uuid("conversation_id").references(() => conversations.id, { onDelete: "cascade" }),
    noteId: uuid("note_id").references(() => conversationNotes.id, { onDelete: "cascade" }),
    /** Who caused it (the note's author). */
    actorId: uuid("actor_id").references(() => agents.id, { onDelete: "set null" }),
    readAt: at("read_at"),
    createdAt: createdAt(),
  },
  (t) => [index("agent_notifications_unread_idx").on(t.agentId, t.createdAt).where(sql`${t.readAt} is null`)],
);
