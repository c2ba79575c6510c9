import { sql } from "drizzle-orm";
import { boolean, integer, jsonb, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";

/** `bot`: greeting and FAQ answers first, a human one click away. `immediate`: queue at once. */
export const handoffMode = pgEnum("handoff_mode", ["bot", "immediate"]);
export const widgetPosition = pgEnum("widget_position", ["right", "left"]);

export interface FaqEntry {
  keywords: string[];
  answer: string;
}

/** One per embedding site. */
export const inboxes = pgTable(
  "inboxes",
  {
    id: id(),
    /** Goes in the embed snippet; identifies the inbox but grants nothing by itself. */
    publicKey: text("public_key").notNull(),
    name: text("name").notNull(),
    /** Origins allowed to frame the widget and open its socket; empty allows any. */
    allowedOrigins: text("allowed_origins")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /**
     * Key for what the embedding site's backend signs: the HMAC of an identified user's id, or an
     * identity token (HS256 JWT). See src/widget/identity.ts.
     */
    identitySecret: text("identity_secret").notNull(),
    requireIdentity: boolean("require_identity").notNull().default(false),
    /**
     * Store the visitor's page address with its query string (never its fragment). Off by default:
     * a query string may carry the host site's tokens or personal data (src/contacts/visit.ts).
     */
    keepPageQuery: boolean("keep_page_query").notNull().default(false),
    greeting: text("greeting").notNull().default("Hi! How can we help?"),
    faq: jsonb("faq").$type<FaqEntry[]>().notNull().default([]),
    color: text("color").notNull().default("#2563eb"),
    position: widgetPosition("position").notNull().default("right"),
    handoffMode: handoffMode("handoff_mode").notNull().default("bot"),
    /** Email a customer who has left the agents' replies they have not read (needs SMTP_URL). */
    replyEmails: boolean("reply_emails").notNull().default(true),
    /** How long a reply waits unread before it is emailed. */
    replyEmailDelayMinutes: integer("reply_email_delay_minutes").notNull().default(5),
    /** The "From" name of this inbox's conversation emails; null: the inbox's name. */
    emailSenderName: text("email_sender_name"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("inboxes_public_key_key").on(t.publicKey)],
);
