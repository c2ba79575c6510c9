// Column helpers shared by every table, so ids and timestamps mean the same thing everywhere.
import { timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * UUIDv7 primary keys: unguessable from outside, yet time-ordered, so new rows land at the end
 * of their index and ids break ties in "newest first" keyset pagination.
 */
export const id = () =>
  uuid("id")
    .primaryKey()
    .$defaultFn(() => Bun.randomUUIDv7());

export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const at = (name: string) => timestamp(name, { withTimezone: true });
