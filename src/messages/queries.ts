import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import { agents, conversations, messages } from "../db/schema/index.ts";
import type { Message, MessageWithAuthor, Sender } from "./model.ts";

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

/**
 * Takes the next seq and stores the message in one round trip: the conversation's counter and
 * "who spoke last" timestamps move in the same statement that inserts the row. Agent replies also
 * set the first response time and its author (once). The caller holds the conversation's row lock.
 */
export async function insertNextMessage(
  tx: Db,
  m: { id: string; conversationId: string; clientId: string | null; sender: Sender; agentId: string | null; body: string; createdAt: Date },
): Promise<number> {
  // Raw sql gets no column mapping: postgres.js needs times as text, cast explicitly.
  const at = m.createdAt.toISOString();
  const result = await tx.execute(sql`
    with next as (
      update ${conversations} set
        last_seq = last_seq + 1,
        last_activity_at = ${at}::timestamptz,
        last_customer_message_at = case when ${m.sender} = 'customer' then ${at}::timestamptz else last_customer_message_at end,
        last_agent_message_at = case when ${m.sender} = 'agent' then ${at}::timestamptz else last_agent_message_at end,
        first_response_at = case when ${m.sender} = 'agent' then coalesce(first_response_at, ${at}::timestamptz) else first_response_at end,
        -- Who gave the first response, set with it (the right side reads the row before this update).
        first_responder_id = case when ${m.sender} = 'agent' and first_response_at is null then ${m.agentId}::uuid else first_responder_id end
      where id = ${m.conversationId}
      returning last_seq
    )
    insert into ${messages} (id, conversation_id, seq, client_id, sender, agent_id, body, created_at)
    select ${m.id}, ${m.conversationId}, next.last_seq, ${m.clientId}, ${m.sender}::actor_type, ${m.agentId}, ${m.body}, ${at}::timestamptz
    from next
    returning seq`);
  const [row] = rowsOf<{ seq: number }>(result);
  if (!row) throw new Error("conversation vanished while its row was locked");
  return Number(row.seq);
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
