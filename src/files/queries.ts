import { and, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import { ensureContact } from "../contacts/queries.ts";
import { isUuid } from "../conversations/model.ts";
import { attachments, conversations } from "../db/schema/index.ts";
import type { StoredFile } from "./model.ts";

export type AttachmentRow = typeof attachments.$inferSelect;

/** A row's file as messages and links describe it. */
export const storedFileOf = (row: AttachmentRow): StoredFile => ({ id: row.id, name: row.name, size: row.size, type: row.contentType });
const FILE_COLUMNS = { id: attachments.id, name: attachments.name, size: attachments.size, type: attachments.contentType };

/** Who uploaded a file: a customer (of an inbox), or an agent (for a conversation). */
export type Uploader = { inboxId: string; contactId: string; agentId?: undefined } | { inboxId: string; agentId: string; conversationId: string; contactId?: undefined };

export async function insertAttachment(db: Db, file: StoredFile, uploader: Uploader): Promise<void> {
  // A new visitor has no contact row until they first write: a file can be the first thing they send.
  if (uploader.contactId) await ensureContact(db, uploader.contactId, uploader.inboxId);
  await db.insert(attachments).values({
    id: file.id,
    inboxId: uploader.inboxId,
    conversationId: uploader.agentId ? uploader.conversationId : null,
    uploaderContactId: uploader.contactId ?? null,
    uploaderAgentId: uploader.agentId ?? null,
    name: file.name,
    contentType: file.type,
    size: file.size,
  });
}

export async function findAttachment(db: Db, id: string): Promise<AttachmentRow | undefined> {
  const [row] = await db.select().from(attachments).where(eq(attachments.id, id));
  return row;
}

/**
 * The sender's unsent uploads among `ids`, locked until the caller's transaction ends (two messages
 * cannot claim one file). Fewer rows than ids: some are not this sender's to send.
 */
export function lockUnsent(tx: Db, ids: string[], sender: { contactId: string } | { agentId: string; conversationId: string }) {
  const owner =
    "contactId" in sender
      ? eq(attachments.uploaderContactId, sender.contactId)
      : and(eq(attachments.uploaderAgentId, sender.agentId), eq(attachments.conversationId, sender.conversationId));
  return tx
    .select(FILE_COLUMNS)
    .from(attachments)
    .where(and(inArray(attachments.id, ids), isNull(attachments.messageId), owner))
    .for("update");
}

export async function markSent(tx: Db, ids: string[], messageId: string, conversationId: string): Promise<void> {
  await tx.update(attachments).set({ messageId, conversationId }).where(inArray(attachments.id, ids));
}

/** Uploads that no message claimed, older than `before`: deleted with their bytes. */
export async function deleteUnsentBefore(db: Db, before: Date, limit: number): Promise<string[]> {
  const rows = await db.execute(sql`
    delete from ${attachments} where id in (
      select id from ${attachments} where ${attachments.messageId} is null and ${attachments.createdAt} < ${before.toISOString()}::timestamptz limit ${limit}
    ) returning id`);
  return rowsOf<{ id: string }>(rows).map((r) => String(r.id));
}

/** The conversation's files (their keys), before the conversation is deleted. */
export async function attachmentIdsOf(db: Db, conversationId: string): Promise<string[]> {
  const rows = await db.select({ id: attachments.id }).from(attachments).where(eq(attachments.conversationId, conversationId));
  return rows.map((r) => r.id);
}

/** Deletes a conversation (its messages, ratings and attachment rows go with it). */
export async function deleteConversationRow(db: Db, conversationId: string): Promise<boolean> {
  const rows = await db.delete(conversations).where(eq(conversations.id, conversationId)).returning({ id: conversations.id });
  return rows.length > 0;
}

/**
 * The file if this customer may fetch it: their own upload, or a file sent in their conversation.
 */
export async function attachmentForContact(db: Db, id: string, contactId: string): Promise<AttachmentRow | undefined> {
  const [row] = await db
    .select({ attachment: attachments })
    .from(attachments)
    .leftJoin(conversations, eq(conversations.id, attachments.conversationId))
    .where(and(eq(attachments.id, id), or(eq(attachments.uploaderContactId, contactId), and(eq(conversations.contactId, contactId), isNotNull(attachments.messageId)))));
  return row?.attachment;
}

/** The inbox of a conversation, or undefined when there is no such conversation. */
export async function inboxOfConversation(db: Db, conversationId: string): Promise<string | undefined> {
  const [row] = await db.select({ inboxId: conversations.inboxId }).from(conversations).where(eq(conversations.id, conversationId));
  return row?.inboxId;
}

/** The agent's own unsent uploads among `ids`, in their order: a refused reply keeps them. */
export async function unsentUploads(db: Db, ids: string[], agentId: string): Promise<StoredFile[]> {
  const valid = ids.filter(isUuid);
  if (!valid.length) return [];
  const rows = await db
    .select(FILE_COLUMNS)
    .from(attachments)
    .where(and(inArray(attachments.id, valid), isNull(attachments.messageId), eq(attachments.uploaderAgentId, agentId)));
  return valid.flatMap((id) => rows.filter((row) => row.id === id));
}
