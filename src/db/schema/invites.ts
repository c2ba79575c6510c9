import { sql } from "drizzle-orm";
import { index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { agentRole, agents } from "./agents.ts";
import { at, createdAt, id } from "./columns.ts";

export const invites = pgTable(
  "invites",
  {
    id: id(),
    /** Stored lower-cased, like agents.email. */
    email: text("email").notNull(),
    role: agentRole("role").notNull().default("agent"),
    /** SHA-256 of the token: the link in the email (or shown once) is the one place the token exists. */
    tokenHash: text("token_hash").notNull(),
    invitedById: uuid("invited_by_id").references(() => agents.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
    acceptedAt: at("accepted_at"),
    acceptedById: uuid("accepted_by_id").references(() => agents.id, { onDelete: "set null" }),
    revokedAt: at("revoked_at"),
  },
  (t) => [
    uniqueIndex("invites_token_hash_key").on(t.tokenHash),
    // One open invite per address: re-inviting revokes the old one in the same transaction, and two
    // admins inviting the same address at once cannot leave two live links behind.
    uniqueIndex("invites_open_email_key")
      .on(sql`lower(${t.email})`)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    index("invites_created_idx").on(t.createdAt),
  ],
);
