import { sql } from "drizzle-orm";
import { boolean, integer, jsonb, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, createdAt, id } from "./columns.ts";

/** `bot`: greeting and FAQ answers first, a human one click away. `immediate`: queue at once. */
export const handoffMode = pgEnum("handoff_mode", ["bot", "immediate"]);
export const widgetPosition = pgEnum("widget_position", ["right", "left"]);
/** `manual`: agents claim from the queue. `round_robin`: new conversations go to online agents in turn. */
export const assignmentMode = pgEnum("assignment_mode", ["manual", "round_robin"]);
/** The widget header's "Usually replies in …": from the recent median first response, or the inbox's own text. */
export const replyTimeMode = pgEnum("reply_time_mode", ["auto", "fixed", "off"]);

/** Opening hours per weekday (0 = Sunday), in the inbox's time zone: "09:00"–"17:30"; no entry: closed all day. */
export type BusinessHours = Array<{ day: number; from: string; to: string }>;

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
    /** Null: open around the clock. */
    businessHours: jsonb("business_hours").$type<BusinessHours>(),
    /** IANA zone the business hours are in; null: the account's time zone. */
    timeZone: text("time_zone"),
    replyTimeMode: replyTimeMode("reply_time_mode").notNull().default("auto"),
    /** With reply_time_mode = fixed: what the widget header says. */
    replyTimeText: text("reply_time_text"),
    assignmentMode: assignmentMode("assignment_mode").notNull().default("manual"),
    /** Round-robin gives an agent no more open conversations than this; null: no limit. */
    maxOpenPerAgent: integer("max_open_per_agent"),
    /** The first time the widget was opened on a page that is not SupportDesk's own /demo (the onboarding checklist). */
    widgetSeenAt: at("widget_seen_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("inboxes_public_key_key").on(t.publicKey)],
);
