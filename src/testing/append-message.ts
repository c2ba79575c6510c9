// A message appended straight to a conversation, without any verb around it: what the delivery
// tests need (a message committed while nobody published it, seqs under concurrency). The app
// itself always appends through a conversation verb (src/conversations/), which also announces.
import { lockConversation } from "../conversations/queries.ts";
import type { Db } from "../db/database.ts";
import { MessageRejected, type Message } from "../messages/model.ts";
import { appendToLocked, checkMessage, originalOf, type NewMessage } from "../messages/service.ts";

/**
 * Stores a message with the next gapless seq, or returns the one stored earlier under the same
 * clientId (`created: false`). It resolves after the commit; when it throws, nothing was stored.
 */
export async function appendMessage(db: Db, input: NewMessage): Promise<{ message: Message; created: boolean }> {
  checkMessage(input);
  return db.transaction(async (tx) => {
    // The retry check must come after the lock: checked before it, two copies of one message
    // racing each other would both pass, and the second would burn a seq on a failed insert.
    if (!(await lockConversation(tx, input.conversationId))) throw new MessageRejected("no_conversation", "This conversation does not exist.");
    if (input.clientId !== null) {
      const original = await originalOf(tx, input.conversationId, input.clientId);
      if (original) return { message: original, created: false };
    }
    return { message: await appendToLocked(tx, input), created: true };
  });
}
