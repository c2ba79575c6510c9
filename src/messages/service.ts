import type { Db } from "../db/database.ts";
import { MAX_BODY_LENGTH, MAX_CLIENT_ID_LENGTH, MessageRejected, type Message, type Sender } from "./model.ts";
import * as q from "./queries.ts";

export interface NewMessage {
  conversationId: string;
  /** The sender's own id for the message; a retry with the same id returns the original. */
  clientId: string | null;
  sender: Sender;
  agentId?: string | null;
  body: string;
}

/** Catch-up pages are bounded; a client far behind asks again from the last seq it got. */
export const CATCH_UP_LIMIT = 500;

function validate(input: NewMessage): string {
  const body = input.body.trim();
  if (!body) throw new MessageRejected("empty", "Write a message first.");
  if (body.length > MAX_BODY_LENGTH) {
    throw new MessageRejected("too_long", `Messages can be at most ${MAX_BODY_LENGTH} characters long.`);
  }
  if (input.clientId !== null && (!input.clientId || input.clientId.length > MAX_CLIENT_ID_LENGTH)) {
    throw new MessageRejected("bad_client_id", `clientId must be 1 to ${MAX_CLIENT_ID_LENGTH} characters.`);
  }
  return body;
}

/**
 * Stores a message with the next gapless seq, or returns the one stored earlier under the same
 * clientId (`created: false`). The caller acknowledges and publishes only after this resolves,
 * that is after the commit; when it throws, nothing was stored and nothing may be acknowledged.
 */
export async function appendMessage(db: Db, input: NewMessage): Promise<{ message: Message; created: boolean }> {
  const body = validate(input);
  return db.transaction(async (tx) => {
    // The retry check must come after the lock: checked before it, two copies of one message
    // racing each other would both pass, and the second would burn a seq on a failed insert.
    const conversation = await q.lockConversation(tx, input.conversationId);
    if (!conversation) throw new MessageRejected("no_conversation", "This conversation does not exist.");
    if (input.clientId !== null) {
      const original = await q.findByClientId(tx, input.conversationId, input.clientId);
      if (original) return { message: original, created: false };
    }
    const now = new Date();
    const seq = await q.takeNextSeq(tx, input.conversationId, input.sender, now);
    const message = await q.insertMessage(tx, {
      conversationId: input.conversationId,
      seq,
      clientId: input.clientId,
      sender: input.sender,
      agentId: input.agentId ?? null,
      body,
      createdAt: now,
    });
    return { message, created: true };
  });
}

/** Everything after `afterSeq`, oldest first: what a reconnecting or gap-noticing reader fetches. */
export function messagesAfter(db: Db, conversationId: string, afterSeq: number, limit = CATCH_UP_LIMIT): Promise<Message[]> {
  return q.messagesAfter(db, conversationId, Math.max(0, Math.floor(afterSeq)), Math.min(limit, CATCH_UP_LIMIT));
}
