// All SQL of labels: the admins' list, and which labels a conversation carries.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import { conversationLabels, conversations, labels } from "../db/schema/index.ts";
import type { Label, LabelOption, LabelWithUse } from "./model.ts";

/** Labels in the order every list shows them: by name whatever its case. */
const byName = [asc(sql`lower(${labels.name})`), asc(labels.id)];

const labelColumns = { id: labels.id, name: labels.name, color: labels.color };

export function listLabels(db: Db): Promise<Label[]> {
  return db.select(labelColumns).from(labels).orderBy(...byName);
}

/** Every label with how many conversations carry it now. */
export function listLabelsWithUse(db: Db): Promise<LabelWithUse[]> {
  return db
    .select({ ...labelColumns, conversations: sql<number>`(select count(*)::int from ${conversationLabels} cl where cl.label_id = ${labels.id})` })
    .from(labels)
    .orderBy(...byName);
}

export async function findLabel(db: Db, id: string): Promise<Label | undefined> {
  const [row] = await db.select(labelColumns).from(labels).where(eq(labels.id, id));
  return row;
}

export async function insertLabel(db: Db, name: string, color: string): Promise<Label> {
  const [row] = await db.insert(labels).values({ name, color }).returning(labelColumns);
  return row!;
}

/** Undefined when there is no such label. */
export async function updateLabel(db: Db, id: string, name: string, color: string): Promise<Label | undefined> {
  const [row] = await db.update(labels).set({ name, color }).where(eq(labels.id, id)).returning(labelColumns);
  return row;
}

/** Deletes the label and takes it off every conversation: the ids of those conversations, or null when there was no such label. */
export async function deleteLabel(db: Db, id: string): Promise<string[] | null> {
  return db.transaction(async (tx) => {
    const taken = await tx.delete(conversationLabels).where(eq(conversationLabels.labelId, id)).returning({ id: conversationLabels.conversationId });
    const deleted = await tx.delete(labels).where(eq(labels.id, id)).returning({ id: labels.id });
    return deleted.length ? taken.map((r) => r.id) : null;
  });
}

/** The ids of the conversations carrying the label now. */
export async function conversationsWith(db: Db, labelId: string): Promise<string[]> {
  const rows = await db.select({ id: conversationLabels.conversationId }).from(conversationLabels).where(eq(conversationLabels.labelId, labelId));
  return rows.map((r) => r.id);
}

export { conversationExists } from "../conversations/queries.ts";

/**
 * Puts the label on the conversation, recording who did; nothing when it is there already or the
 * label no longer exists (deleted meanwhile). Whether it was added.
 */
export async function addLabel(db: Db, conversationId: string, labelId: string, agentId: string): Promise<boolean> {
  const result = await db.execute(sql`insert into ${conversationLabels} (conversation_id, label_id, added_by)
    select ${conversationId}::uuid, l.id, ${agentId}::uuid from ${labels} l where l.id = ${labelId}
    on conflict do nothing
    returning label_id`);
  return rowsOf(result).length > 0;
}

/** Takes the label off the conversation; whether it was on. */
export async function removeLabel(db: Db, conversationId: string, labelId: string): Promise<boolean> {
  const rows = await db
    .delete(conversationLabels)
    .where(and(eq(conversationLabels.conversationId, conversationId), eq(conversationLabels.labelId, labelId)))
    .returning({ labelId: conversationLabels.labelId });
  return rows.length > 0;
}

/** Every label, each saying whether the conversation carries it: the "Labels" menu. */
export function labelOptions(db: Db, conversationId: string): Promise<LabelOption[]> {
  return db
    .select({
      ...labelColumns,
      on: sql<boolean>`exists (select 1 from ${conversationLabels} cl where cl.conversation_id = ${conversationId} and cl.label_id = ${labels.id})`,
    })
    .from(labels)
    .orderBy(...byName);
}
