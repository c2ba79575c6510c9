import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { conversations, messages } from "../db/schema/index.ts";
import type { Message, Sender } from "./model.ts";

/**
 * Locks the conversation row until the transaction ends. Every writer of one conversation passes
 * here first, so seq numbers are handed out one at a time and a retry sees the original.
 */
export async function lockConversation(tx: Db, conversationId: string) {
  const [row] = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .for("update");
  return row;
}

export async function findByClientId(tx: Db, conversationId: string, clientId: string): Promise<Message | undefined> {
  const [row] = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.clientId, clientId)))
    .limit(1);
  return row;
}

/** Takes the next seq and records who spoke last; agent replies also set the first response time. */
export async function takeNextSeq(tx: Db, conversationId: string, sender: Sender, now: Date): Promise<number> {
  const [row] = await tx
    .update(conversations)
    .set({
      lastSeq: sql`${conversations.lastSeq} + 1`,
      lastActivityAt: now,
      ...(sender === "customer" ? { lastCustomerMessageAt: now } : {}),
      ...(sender === "agent"
        ? {
            lastAgentMessageAt: now,
            // Raw sql gets no column mapping: postgres.js needs the time as text, cast explicitly.
            firstResponseAt: sql`coalesce(${conversations.firstResponseAt}, ${now.toISOString()}::timestamptz)`,
          }
        : {}),
    })
    .where(eq(conversations.id, conversationId))
    .returning({ lastSeq: conversations.lastSeq });
  return row!.lastSeq;
}

export async function insertMessage(tx: Db, message: typeof messages.$inferInsert): Promise<Message> {
  const [row] = await tx.insert(messages).values(message).returning();
  return row!;
}

/** Catch-up: the messages after a seq, oldest first. */
export function messagesAfter(db: Db, conversationId: string, afterSeq: number, limit: number): Promise<Message[]> {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), gt(messages.seq, afterSeq)))
    .orderBy(asc(messages.seq))
    .limit(limit);
}
