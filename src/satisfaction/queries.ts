// All SQL of satisfaction ratings (the analytics figures are in src/analytics/csat-queries.ts).
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { conversationRatings, conversations } from "../db/schema/index.ts";

/**
 * Stores the rating of the conversation's current closed episode, unless that episode has one:
 * then nothing changes and the answer is undefined (the first rating is kept). The episode's
 * closed_at is copied in SQL, to the microsecond (a JavaScript Date would keep milliseconds).
 */
export async function insertRating(tx: Db, r: { conversationId: string; rating: number; comment: string | null; agentId: string | null; at: Date }) {
  const closedAt = sql`(select c.closed_at from ${conversations} c where c.id = ${r.conversationId})`;
  const [row] = await tx
    .insert(conversationRatings)
    .values({ conversationId: r.conversationId, episodeClosedAt: closedAt, rating: r.rating, comment: r.comment, agentId: r.agentId, createdAt: r.at })
    .onConflictDoNothing({ target: [conversationRatings.conversationId, conversationRatings.episodeClosedAt] })
    .returning({ id: conversationRatings.id });
  return row;
}

/** Whether the conversation is closed and its current (closed) episode has been rated. */
export async function currentEpisodeRated(db: Db, conversationId: string): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(conversationRatings)
    .innerJoin(conversations, and(eq(conversations.id, conversationRatings.conversationId), eq(conversations.closedAt, conversationRatings.episodeClosedAt)))
    .where(and(eq(conversationRatings.conversationId, conversationId), eq(conversations.status, "closed")))
    .limit(1);
  return row !== undefined;
}
