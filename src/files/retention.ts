// Files go when nothing refers to them any more: uploads never sent (after a day), and every file
// of a deleted conversation. Rows are deleted first, then the bytes, after the commit (a store
// outside the database cannot roll back).
import type { Db } from "../db/database.ts";
import { attachmentIdsOf, deleteConversationRow, deleteUnsentBefore } from "./queries.ts";
import type { FileStore } from "./store.ts";

/** How long an upload may wait for the message that sends it. */
export const UNSENT_KEPT_MS = 24 * 60 * 60_000;
const BATCH = 500;

export interface RetentionDeps {
  db: Db;
  store: FileStore;
}

/** Deletes uploads older than a day that no message claimed; returns how many. */
export async function sweepUnsentUploads(deps: RetentionDeps, now: number): Promise<number> {
  let total = 0;
  for (;;) {
    const ids = await deleteUnsentBefore(deps.db, new Date(now - UNSENT_KEPT_MS), BATCH);
    await deps.store.remove(ids);
    total += ids.length;
    if (ids.length < BATCH) return total;
  }
}

/** Deletes a conversation with everything in it, its files included (data retention, an admin's delete). */
export async function deleteConversation(deps: RetentionDeps, conversationId: string): Promise<boolean> {
  const { deleted, ids } = await deps.db.transaction(async (tx) => {
    const ids = await attachmentIdsOf(tx, conversationId);
    return { deleted: await deleteConversationRow(tx, conversationId), ids };
  });
  await deps.store.remove(ids);
  return deleted;
}
