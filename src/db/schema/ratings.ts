import { sql } from "drizzle-orm";
import { check, index, pgTable, smallint, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { agents } from "./agents.ts";
import { at, createdAt, id } from "./columns.ts";
import { conversations } from "./conversations.ts";

/**
 * Satisfaction (CSAT): the customer's rating of one closed episode of a conversation. An episode
 * is named by the close that ended it (conversations.closed_at, cleared by a reopen and set anew by
 * the next close), so the unique key allows one rating per episode and a reopen + close a new one.
 */
export const conversationRatings = pgTable(
  "conversation_ratings",
  {
    id: id(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    /** The closed_at of the episode rated. */
    episodeClosedAt: at("episode_closed_at").notNull(),
    /** 1 (Terrible) to 5 (Great). */
    rating: smallint("rating").notNull(),
    comment: text("comment"),
    /** The assignee when the episode closed: analytics counts the rating for them. */
    agentId: uuid("agent_id").references(() => agents.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("conversation_ratings_episode_key").on(t.conversationId, t.episodeClosedAt),
    // Analytics reads a range of days.
    index("conversation_ratings_created_idx").on(t.createdAt),
    check("conversation_ratings_rating_range", sql`${t.rating} between 1 and 5`),
  ],
);
