import { sql } from "drizzle-orm";
import { boolean, check, integer, pgTable, text } from "drizzle-orm/pg-core";
import { at } from "./columns.ts";

/**
 * Settings of the whole account, one row (the check keeps it one). Absent until an admin first
 * saves; until then the defaults from the environment apply (see config.ts TIME_ZONE).
 */
export const accountSettings = pgTable(
  "account_settings",
  {
    singleton: boolean("singleton").primaryKey().default(true),
    /** IANA zone in which analytics counts days, e.g. "Europe/Berlin". */
    timeZone: text("time_zone").notNull(),
    /** Email admins when the queue's oldest customer has waited this many minutes; null: off (the default). */
    queueAlertMinutes: integer("queue_alert_minutes"),
    /** BCP 47 tag dates and numbers are written in for agents ("en-GB", "de-DE"); null: the browser's. */
    locale: text("locale"),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [check("account_settings_singleton", sql`${t.singleton}`)],
);
