import { sql } from "drizzle-orm";
import { bigint, customType, index, integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { agents } from "./agents.ts";
import { contacts } from "./contacts.ts";
import { conversations } from "./conversations.ts";
import { inboxes } from "./inboxes.ts";
import { messages } from "./messages.ts";
import { createdAt, id } from "./columns.ts";

/**
 * A file a customer or an agent uploaded. Its bytes live in the configured store under its id
 * (src/files/store.ts); this row is what is known of it and who may see it. Uploaded first, then
 * sent: `messageId` is null until a message claims it, and an unclaimed upload is deleted after a day.
 */
export const attachments = pgTable(
  "attachments",
  {
    id: id(),
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    /** Set when a message claims the file (or, for an agent's upload, by the conversation it was made for). */
    conversationId: uuid("conversation_id").references(() => conversations.id, { onDelete: "cascade" }),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "cascade" }),
    /** Exactly one of the two: who uploaded it, and so who may send it. */
    uploaderContactId: uuid("uploader_contact_id").references(() => contacts.id, { onDelete: "cascade" }),
    uploaderAgentId: uuid("uploader_agent_id").references(() => agents.id, { onDelete: "set null" }),
    /** The uploader's file name, cleaned (no path, no control characters); never trusted. */
    name: text("name").notNull(),
    /** The type found in the bytes (src/files/content-type.ts), never the one declared. */
    contentType: text("content_type").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("attachments_conversation_idx").on(t.conversationId),
    // The sweep of uploads never sent.
    index("attachments_unsent_idx").on(t.createdAt).where(sql`${t.messageId} is null`),
  ],
);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/**
 * The database store's bytes (src/files/database-store.ts): a file in chunks of 256 KiB, so that
 * neither a write nor a read ever holds the whole file. Keyed by the store's key, not tied to
 * `attachments` by a foreign key: the bytes are written before the row exists.
 */
export const fileChunks = pgTable(
  "file_chunks",
  {
    key: uuid("key").notNull(),
    n: integer("n").notNull(),
    data: bytea("data").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.key, t.n] })],
);
