// All SQL of saved replies. An agent reads the team's replies and their own, never a colleague's
// personal ones: every read here takes the reader and filters by visibleTo.
import { and, asc, eq, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { contacts, conversations, savedReplies } from "../db/schema/index.ts";
import type { ReplyInput, Scope } from "./model.ts";

export type SavedReply = typeof savedReplies.$inferSelect;

/** The composer's candidates are ranked in the service; this many at most are read for it. */
const CANDIDATE_LIMIT = 500;

/** The team's replies and the reader's own. */
const visibleTo = (agentId: string) => or(eq(savedReplies.scope, "team"), eq(savedReplies.ownerId, agentId))!;

/** `text` as a literal inside a LIKE pattern (its %, _ and \ escaped). */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, "\\$&");

const byShortcut = [asc(sql`lower(${savedReplies.shortcut})`), asc(savedReplies.scope), asc(savedReplies.id)];

/**
 * The replies `agentId` may use, by shortcut; with `search`, those whose name, shortcut or text
 * holds it (any case). The settings page reads these.
 */
export async function listVisible(db: Db, agentId: string, search = ""): Promise<SavedReply[]> {
  let where: SQL = visibleTo(agentId);
  if (search) {
    const pattern = `%${likeLiteral(search.toLowerCase())}%`;
    const matches = sql`(lower(${savedReplies.name}) like ${pattern} or lower(${savedReplies.shortcut}) like ${pattern} or lower(${savedReplies.body}) like ${pattern})`;
    where = and(where, matches)!;
  }
  return db.select().from(savedReplies).where(where).orderBy(...byShortcut);
}

/**
 * What the composer's list may show for `q`: the replies `agentId` may use whose shortcut or
 * name holds the letters of `q` in order (the widest match the ranking accepts), for the
 * service to rank.
 */
export async function candidates(db: Db, agentId: string, q: string): Promise<SavedReply[]> {
  let where: SQL = visibleTo(agentId);
  if (q) {
    const pattern = `%${[...q.toLowerCase()].map(likeLiteral).join("%")}%`;
    where = and(where, sql`(lower(${savedReplies.shortcut}) like ${pattern} or lower(${savedReplies.name}) like ${pattern})`)!;
  }
  return db.select().from(savedReplies).where(where).orderBy(...byShortcut).limit(CANDIDATE_LIMIT);
}

/** One reply, if `agentId` may see it. */
export async function findVisible(db: Db, agentId: string, id: string): Promise<SavedReply | undefined> {
  const [row] = await db
    .select()
    .from(savedReplies)
    .where(and(eq(savedReplies.id, id), visibleTo(agentId)))
    .limit(1);
  return row;
}

/** A new reply: the team's (no owner) or `ownerId`'s. A shortcut taken (any case) fails with a unique violation. */
export async function insertReply(db: Db, scope: Scope, ownerId: string, input: ReplyInput): Promise<SavedReply> {
  const [row] = await db
    .insert(savedReplies)
    .values({ scope, ownerId: scope === "team" ? null : ownerId, ...input })
    .returning();
  return row!;
}

/** Changes a reply found with findVisible; undefined when it is gone. A shortcut taken fails with a unique violation. */
export async function updateReply(db: Db, id: string, input: ReplyInput): Promise<SavedReply | undefined> {
  const [row] = await db
    .update(savedReplies)
    .set({ ...input, updatedAt: new Date() })
    .where(eq(savedReplies.id, id))
    .returning();
  return row;
}

export async function deleteReply(db: Db, id: string): Promise<void> {
  await db.delete(savedReplies).where(eq(savedReplies.id, id));
}

/** Whom a conversation is with, for the variables; undefined for no such conversation. */
export async function contactOf(db: Db, conversationId: string): Promise<{ name: string | null; email: string | null } | undefined> {
  const [row] = await db
    .select({ name: contacts.name, email: contacts.email })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(conversations.id, conversationId))
    .limit(1);
  return row;
}
