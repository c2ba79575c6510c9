// All SQL of private notes and agents' notifications.
import { and, asc, count, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { agentNotifications, agents, conversationNotes, conversations } from "../db/schema/index.ts";
import { epochMs } from "../db/raw-values.ts";
import { PANE_TIMELINE_LIMIT, paneWindowStart } from "../conversations/pane-window.ts";
import type { Teammate } from "./mentions.ts";
import type { MentionNotification, Note } from "./model.ts";

/** Rows the notifications menu shows, newest first. */
export const NOTIFICATIONS_SHOWN = 20;

export { conversationExists } from "../conversations/queries.ts";

/** Active agents: who may be mentioned. */
export function activeTeam(db: Db): Promise<Teammate[]> {
  return db.select({ id: agents.id, name: agents.name }).from(agents).where(isNull(agents.deactivatedAt)).orderBy(asc(agents.name));
}

const noteColumns = {
  id: conversationNotes.id,
  conversationId: conversationNotes.conversationId,
  agentId: conversationNotes.agentId,
  agentName: agents.name,
  body: conversationNotes.body,
  createdAt: conversationNotes.createdAt,
};

/** Stores a note; a retry (same conversation and clientId) stores nothing and returns the first one, `created` false. */
export async function insertNote(tx: Db, values: { conversationId: string; agentId: string; clientId: string; body: string }): Promise<{ note: Note; created: boolean }> {
  const [row] = await tx.insert(conversationNotes).values(values).onConflictDoNothing({ target: [conversationNotes.conversationId, conversationNotes.clientId] }).returning({ id: conversationNotes.id });
  const [note] = await tx
    .select(noteColumns)
    .from(conversationNotes)
    .leftJoin(agents, eq(agents.id, conversationNotes.agentId))
    .where(row ? eq(conversationNotes.id, row.id) : and(eq(conversationNotes.conversationId, values.conversationId), eq(conversationNotes.clientId, values.clientId)));
  return { note: note!, created: row !== undefined };
}

/** One "mention" notification per agent; returns their ids by agent. */
export async function insertMentions(tx: Db, note: Note, agentIds: string[]): Promise<Array<{ id: string; agentId: string }>> {
  if (!agentIds.length) return [];
  return tx
    .insert(agentNotifications)
    .values(agentIds.map((agentId) => ({ agentId, kind: "mention", conversationId: note.conversationId, noteId: note.id, actorId: note.agentId })))
    .returning({ id: agentNotifications.id, agentId: agentNotifications.agentId });
}

/**
 * The pane's notes column (src/conversations/pane-queries.ts, on `picked`): the notes from the
 * oldest message the pane shows on, as events are, oldest first.
 */
export function paneNotesColumn(limit: SQL): SQL {
  return sql`(select coalesce(json_agg(json_build_object('id', n.id, 'agentId', n.agent_id, 'agentName', a.name, 'body', n.body,
      'createdAt', ${epochMs(sql`n.created_at`)}) order by n.created_at, n.id), '[]'::json)
    from (
      select * from ${conversationNotes} n
      where n.conversation_id = picked.id and n.created_at >= ${paneWindowStart(limit)}
      order by n.created_at desc, n.id desc
      limit ${sql.raw(String(PANE_TIMELINE_LIMIT))}
    ) n left join ${agents} a on a.id = n.agent_id) as notes`;
}

const actor = sql<string | null>`(select a.name from ${agents} a where a.id = ${agentNotifications.actorId})`;

/** An agent's newest notifications, with what their menu shows. */
export function notificationsOf(db: Db, agentId: string): Promise<MentionNotification[]> {
  return db
    .select({
      id: agentNotifications.id,
      conversationId: sql<string>`${agentNotifications.conversationId}`,
      actorName: actor,
      noteBody: sql<string>`coalesce(${conversationNotes.body}, '')`,
      readAt: agentNotifications.readAt,
      createdAt: agentNotifications.createdAt,
    })
    .from(agentNotifications)
    .innerJoin(conversationNotes, eq(conversationNotes.id, agentNotifications.noteId))
    .where(eq(agentNotifications.agentId, agentId))
    .orderBy(desc(agentNotifications.createdAt), desc(agentNotifications.id))
    .limit(NOTIFICATIONS_SHOWN);
}

export async function unreadCount(db: Db, agentId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(agentNotifications)
    .where(and(eq(agentNotifications.agentId, agentId), isNull(agentNotifications.readAt)));
  return Number(row?.n ?? 0);
}

/** Marks one of the agent's notifications read (another agent's id matches nothing); returns its conversation. */
export async function markRead(db: Db, agentId: string, id: string): Promise<string | null | undefined> {
  const [row] = await db
    .update(agentNotifications)
    .set({ readAt: sql`coalesce(${agentNotifications.readAt}, now())` })
    .where(and(eq(agentNotifications.id, id), eq(agentNotifications.agentId, agentId)))
    .returning({ conversationId: agentNotifications.conversationId });
  return row ? row.conversationId : undefined;
}

export async function markAllRead(db: Db, agentId: string): Promise<void> {
  await db
    .update(agentNotifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(agentNotifications.agentId, agentId), isNull(agentNotifications.readAt)));
}

/** What the mention email job reads: the notification, the note, who wrote it, whom it is for. */
export async function mentionToEmail(db: Db, notificationId: string) {
  const [row] = await db
    .select({
      agentId: agentNotifications.agentId,
      readAt: agentNotifications.readAt,
      createdAt: agentNotifications.createdAt,
      conversationId: agentNotifications.conversationId,
      actorName: actor,
      noteBody: sql<string | null>`${conversationNotes.body}`,
    })
    .from(agentNotifications)
    .leftJoin(conversationNotes, eq(conversationNotes.id, agentNotifications.noteId))
    .where(eq(agentNotifications.id, notificationId));
  return row;
}
