import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { agents, conversations, messages } from "../db/schema/index.ts";
import type { Message, MessageWithAuthor } from "./model.ts";

/** How far each conversation's messages go: the sweeper compares it with what its readers got. */
export function lastSeqsOf(db: Db, conversationIds: string[]): Promise<{ id: string; lastSeq: number }[]> {
  // One array parameter, not one per id: the statement's text stays the same whatever the number
  // of conversations watched, so it is prepared once, and building it costs nothing per id.
  return db
    .select({ id: conversations.id, lastSeq: conversations.lastSeq })
    .from(conversations)
    .where(sql`${conversations.id} = any(${`{${conversationIds.join(",")}}`}::uuid[])`);
}

export async function findByClientId(tx: Db, conversationId: string, clientId: string): Promise<Message | undefined> {
  const [row] = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.clientId, clientId)))
    .limit(1);
  return row;
}

/** Catch-up: the messages after a seq, oldest first, with the name of the agent who wrote each. */
export async function messagesAfter(db: Db, conversationId: string, afterSeq: number, limit: number): Promise<MessageWithAuthor[]> {
  const rows = await db
    .select({ message: messages, agentName: agents.name })
    .from(messages)
    .leftJoin(agents, eq(agents.id, messages.agentId))
    .where(and(eq(messages.conversationId, conversationId), gt(messages.seq, afterSeq)))
    .orderBy(asc(messages.seq))
    .limit(limit);
  return rows.map((r) => ({ ...r.message, agentName: r.agentName }));
}

/** The newest messages, oldest first: what a page or a new session shows. */
export async function latestMessages(db: Db, conversationId: string, limit: number): Promise<MessageWithAuthor[]> {
  const rows = await db
    .select({ message: messages, agentName: agents.name })
    .from(messages)
    .leftJoin(agents, eq(agents.id, messages.agentId))
    .where(eq(messages.conversationId, conversationId))
    .orderBy(desc(messages.seq))
    .limit(limit);
  return rows.reverse().map((r) => ({ ...r.message, agentName: r.agentName }));
}
