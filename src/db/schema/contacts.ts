import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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
    /** The embedding site's user id, set only once verified by the identity HMAC. */
    externalId: text("external_id"),
    email: text("email"),
    name: text("name"),
    /** The language the customer's widget uses ("en", "de"); null until known. */
    locale: text("locale"),
    /** The page the widget was last opened on and the browser, as the visitor reported them (src/contacts/visit.ts). */
    lastPageUrl: text("last_page_url"),
    browser: text("browser"),
    attributes: jsonb("attributes").$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    createdAt: createdAt(),
    lastSeenAt: at("last_seen_at").notNull().defaultNow(),
  },
  (t) => [
    // A verified user is one contact per inbox, whatever device they come from.
    uniqueIndex("contacts_inbox_external_id_key").on(t.inboxId, t.externalId),
    index("contacts_inbox_email_idx").on(t.inboxId, t.email),
    // The same person in other inboxes (the pane's "Earlier conversations"): by verified id or by email.
    index("contacts_external_id_idx").on(t.externalId).where(sql`${t.externalId} is not null`),
    index("contacts_email_lower_idx").on(sql`lower(${t.email})`).where(sql`${t.email} is not null`),
  ],
);
