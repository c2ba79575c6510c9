import { sql } from "drizzle-orm";
import { index, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { agents } from "./agents.ts";
import { conversations } from "./conversations.ts";
import { at, createdAt, id } from "./columns.ts";

export const savedReplyScope = pgEnum("saved_reply_scope", ["personal", "team"]);

/**
 * A reply an agent inserts with `/` in the composer: the agent's own (personal), or the team's
 * (admins manage those). `body` may hold {{contact.name}}, {{contact.email}} and {{agent.name}}.
 */
export const savedReplies = pgTable(
  "saved_replies",
  {
    id: id(),
    scope: savedReplyScope("scope").notNull(),
    /** The owner of a personal reply; null for the team's. */
    ownerId: uuid("owner_id").references(() => agents.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** What follows `/` (letters, digits, - and _), unique per owner (or among the team's), whatever its case. */
    shortcut: text("shortcut").notNull(),
    body: text("body").notNull(),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("saved_replies_shortcut_key").on(sql`coalesce(${t.ownerId}, '00000000-0000-0000-0000-000000000000'::uuid)`, sql`lower(${t.shortcut})`),
    index("saved_replies_owner_idx").on(t.ownerId),
  ],
);

/** A label admins define (name, colour) and agents put on conversations for triage. */
export const labels = pgTable(
  "labels",
  {
    id: id(),
    name: text("name").notNull(),
    /** `#rrggbb`. */
    color: text("color").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("labels_name_key").on(sql`lower(${t.name})`)],
);

export const conversationLabels = pgTable(
  "conversation_labels",
  {
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    labelId: uuid("label_id")
      .notNull()
      .references(() => labels.id, { onDelete: "cascade" }),
    addedBy: uuid("added_by").references(() => agents.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  // The list's label filter reads by label.
  (t) => [primaryKey({ columns: [t.conversationId, t.labelId] }), index("conversation_labels_label_idx").on(t.labelId, t.conversationId)],
);
