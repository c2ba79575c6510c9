import { sql } from "drizzle-orm";
import { boolean, index, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { at, createdAt, id } from "./columns.ts";

export const agentRole = pgEnum("agent_role", ["admin", "agent"]);
/** What an agent says of themselves; "online" counts only while they are also connected. */
export const agentAvailability = pgEnum("agent_availability", ["online", "away"]);

/** The agent UI's colours: follow the system's light/dark setting, or always one of them. */
export const agentTheme = pgEnum("agent_theme", ["system", "light", "dark"]);

export const agents = pgTable(
  "agents",
  {
    id: id(),
    /** Stored lower-cased; the unique index makes "one account per address" hold under races. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: agentRole("role").notNull().default("agent"),
    passwordHash: text("password_hash").notNull(),
    /** Set when an admin deactivates the agent: sign-in refused, sessions ended. */
    deactivatedAt: at("deactivated_at"),
    /** Notification choices from /settings/profile; the inbox page reads them (see agents/service.ts). */
    notifySound: boolean("notify_sound").notNull().default(true),
    notifyDesktop: boolean("notify_desktop").notNull().default(false),
    /** Email me a customer's message in my conversations while I have had no inbox open for a while. */
    notifyEmail: boolean("notify_email").notNull().default(true),
    /** Admins: email me when the queue's oldest customer waits longer than the account's alert wait. */
    notifyQueueEmail: boolean("notify_queue_email").notNull().default(true),
    /** The last time this agent had an inbox page open (set while connected and when the last tab closes). */
    inboxSeenAt: at("inbox_seen_at"),
    availability: agentAvailability("availability").notNull().default("online"),
    /** When round-robin last gave this agent a conversation: the next goes to whoever waited longest. */
    lastAutoAssignedAt: at("last_auto_assigned_at"),
    theme: agentTheme("theme").notNull().default("system"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("agents_email_key").on(sql`lower(${t.email})`)],
);

export const agentSessions = pgTable(
  "agent_sessions",
  {
    id: id(),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    /** HMAC of the cookie's token: a copy of the database does not let anyone sign in. */
    tokenHash: text("token_hash").notNull(),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    lastSeenAt: at("last_seen_at").notNull().defaultNow(),
    expiresAt: at("expires_at").notNull(),
    revokedAt: at("revoked_at"),
  },
  (t) => [uniqueIndex("agent_sessions_token_hash_key").on(t.tokenHash), index("agent_sessions_agent_idx").on(t.agentId)],
);

/** "Forgot password?": one row per emailed reset link; the token itself exists only in the email. */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: id(),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    /** SHA-256 of the token, like invites.token_hash. */
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
  },
  (t) => [uniqueIndex("password_resets_token_hash_key").on(t.tokenHash), index("password_resets_agent_idx").on(t.agentId)],
);
