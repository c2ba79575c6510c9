// All SQL of satisfaction ratings (the analytics figures are in src/analytics/csat-queries.ts).
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { contacts, conversationRatings, conversations, inboxes } from "../db/schema/index.ts";

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

/**
 * The conversation's current episode is rated: a correlated test on the outer conversations row,
 * written out because drizzle leaves a column unqualified in a one-table select (`"id"` would be r's).
 */
const episodeRated = sql<boolean>`exists (select 1 from conversation_ratings r where r.conversation_id = conversations.id and r.episode_closed_at = conversations.closed_at)`;

/** When the conversation was closed, if it is closed and that episode has no rating yet: a reply email then asks for one. */
export async function unratedClosedAt(db: Db, conversationId: string): Promise<Date | null> {
  const [row] = await db
    .select({ closedAt: conversations.closedAt, rated: episodeRated })
    .from(conversations)
    .where(and(eq(conversations.id, conversationId), eq(conversations.status, "closed")));
  return row?.closedAt && !row.rated ? row.closedAt : null;
}

/** What a rating link (src/satisfaction/rating-link.ts) checks its claims against: the conversation now. */
export interface RatingLinkTarget {
  inboxId: string;
  inboxName: string;
  contactId: string;
  locale: string | null;
  status: string;
  closedAt: Date | null;
  /** The current episode has a rating. */
  rated: boolean;
}

export async function ratingLinkTarget(db: Db, conversationId: string): Promise<RatingLinkTarget | undefined> {
  const [row] = await db
    .select({
      inboxId: conversations.inboxId,
      inboxName: inboxes.name,
      contactId: conversations.contactId,
      locale: contacts.locale,
      status: conversations.status,
      closedAt: conversations.closedAt,
      rated: episodeRated,
    })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
    .where(eq(conversations.id, conversationId));
  return row;
}
