import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { agents } from "./agents.ts";
import { actorType, conversations } from "./conversations.ts";
import { createdAt, id } from "./columns.ts";

export const messages = pgTable(
  "messages",
  {
    id: id(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    /** Gapless per conversation: readers ask for "everything after seq N" to catch up. */
    seq: integer("seq").notNull(),
    /** The sender's own id for the message: a retry with the same id returns the original. */
    clientId: text("client_id"),
    sender: actorType("sender").notNull(),
    agentId: uuid("agent_id").references(() => agents.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    /** The files sent with the message, as clients show them (name, size, type): a copy of their attachments rows, so that no reader joins. */
    attachments: jsonb("attachments").$type<{ id: string; name: string; size: number; type: string }[]>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("messages_conversation_seq_key").on(t.conversationId, t.seq),
    uniqueIndex("messages_conversation_client_id_key").on(t.conversationId, t.clientId),
    // Analytics' "conversations handled" per agent: the agents' messages of a range, read from the
    // index alone (agent replies are a fraction of all messages; customers' are left out).
    index("messages_agent_replies_idx")
      .on(t.createdAt, t.agentId, t.conversationId)
      .where(sql`${t.sender} = 'agent'`),
  ],
);
