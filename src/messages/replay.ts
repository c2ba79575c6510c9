import type { Db } from "../db/database.ts";
import type { MessageWithAuthor } from "./model.ts";
import { CATCH_UP_LIMIT, messagesAfter } from "./service.ts";

/**
 * Hands a reader every message of a conversation after `afterSeq` (and up to `upToSeq`, when
 * given), oldest first, one page at a time, until it has caught up. `deliver` returns false to
 * stop (the reader gave up: a send was dropped). Resolves with the newest seq delivered
 * (`afterSeq` when there was nothing), or null when `deliver` stopped it. The one replay loop of
 * both sockets.
 */
export async function replay(
  db: Db,
  conversationId: string,
  afterSeq: number,
  deliver: (page: MessageWithAuthor[]) => boolean | Promise<boolean>,
  upToSeq = Infinity,
): Promise<number | null> {
  let delivered = afterSeq;
  while (delivered < upToSeq) {
    const fetched = await messagesAfter(db, conversationId, delivered);
    const page = upToSeq === Infinity ? fetched : fetched.filter((m) => m.seq <= upToSeq);
    if (page.length === 0) return delivered;
    if (!(await deliver(page))) return null;
    delivered = page.at(-1)!.seq;
    if (fetched.length < CATCH_UP_LIMIT) return delivered;
  }
  return delivered;
}
