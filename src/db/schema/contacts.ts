import { sql } from "drizzle-orm";
import { boolean, check, index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { at, createdAt, id } from "./columns.ts";
import { inboxes } from "./inboxes.ts";

/** The customer, anonymous until the embedding site identifies them (or they leave an email). */
export const contacts = pgTable(
  "contacts",
  {
    id: id(),
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    /** The embedding site's user id, set only once verified (identity HMAC or identity token). */
    externalId: text("external_id"),
    email: text("email"),
    /**
     * The embedding site signed this email (an identity token's `email` claim). It describes the
     * email as stored: any other address written later (typed by the visitor, or passed beside the
     * proof unsigned) clears it. Only verified emails link a person across inboxes.
     */
    emailVerified: boolean("email_verified").notNull().default(false),
    name: text("name"),
    /** The language the customer's widget uses ("en", "de"); null until known. */
    locale: text("locale"),
    /** The page the widget was last opened on and the browser, as the visitor reported them (src/contacts/visit.ts). */
    lastPageUrl: text("last_page_url"),
    browser: text("browser"),
    /** The customer clicked "unsubscribe" in a conversation email: no more reply emails (src/mail). */
    emailUnsubscribedAt: at("email_unsubscribed_at"),
    /**
     * The widget asked this anonymous customer once for an address to be told of replies at, and
     * they answered or skipped: it is not asked again (any device, any conversation).
     */
    emailPromptDoneAt: at("email_prompt_done_at"),
    /** What agents wrote about this person in the contact panel (never shown to the customer). */
    notes: text("notes"),
    attributes: jsonb("attributes").$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    createdAt: createdAt(),
    lastSeenAt: at("last_seen_at").notNull().defaultNow(),
  },
  (t) => [
    // A verified user is one contact per inbox, whatever device they come from.
    uniqueIndex("contacts_inbox_external_id_key").on(t.inboxId, t.externalId),
    index("contacts_inbox_email_idx").on(t.inboxId, t.email),
    // The same person's other conversations (the pane's "Earlier conversations", see
    // conversations/pane-queries.ts earlierColumn): in the same inbox by any email, in other inboxes
    // only by an email verified on both sides. Each is one probe of its index.
    index("contacts_inbox_email_lower_idx")
      .on(t.inboxId, sql`lower(${t.email})`)
      .where(sql`${t.email} is not null`),
    index("contacts_verified_email_idx")
      .on(sql`lower(${t.email})`)
      .where(sql`${t.emailVerified}`),
    check("contacts_verified_email_present", sql`not ${t.emailVerified} or ${t.email} is not null`),
  ],
);
