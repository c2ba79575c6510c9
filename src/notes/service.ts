// The verbs of private notes and of the notifications they make. A note and its mentions (the
// notification rows and their email jobs) commit together; the pushes follow the commit.
import type { Bus } from "../realtime/bus.ts";
import type { Clock } from "../realtime/clock.ts";
import type { Db } from "../db/database.ts";
import { schedule } from "../jobs/service.ts";
import { ConversationRefused, isUuid } from "../conversations/model.ts";
import { resolveMentions, teammatesFor, type Teammate } from "./mentions.ts";
import { NOTE_LIMITS, type Note } from "./model.ts";
import { menuChanged, noteAdded } from "./notify.tsx";
import * as q from "./queries.ts";

export { notificationsView } from "./notify.tsx";

export const MENTION_EMAIL_JOB = "email.mention";

export interface NoteDeps {
  db: Db;
  bus: Bus;
  /** The job worker's clock: a mention's email job is due at once by it. */
  clock: Clock;
}

async function mustExist(db: Db, conversationId: string): Promise<void> {
  if (!isUuid(conversationId) || !(await q.conversationExists(db, conversationId))) {
    throw new ConversationRefused("not_found", "This conversation does not exist.");
  }
}

/**
 * Stores `author`'s note in the conversation. A retry (same clientId) stores nothing, mentions no
 * one again and returns the first note. Each agent the text mentions (src/notes/mentions.ts) gets
 * a notification and an email job, which sends only if they are away when it runs.
 */
export async function addNote(deps: NoteDeps, author: { id: string }, conversationId: string, clientId: string, text: string): Promise<Note> {
  await mustExist(deps.db, conversationId);
  const body = text.trim();
  if (!body) throw new ConversationRefused("bad_request", "Write the note first.");
  if (body.length > NOTE_LIMITS.body) throw new ConversationRefused("bad_request", `A note can be at most ${NOTE_LIMITS.body} characters long.`);
  if (clientId.length > NOTE_LIMITS.clientId) throw new ConversationRefused("bad_request", "The note form is out of date: reload the page.");
  const { note, mentioned } = await deps.db.transaction(async (tx) => {
    const { note, created } = await q.insertNote(tx, { conversationId, agentId: author.id, clientId, body });
    if (!created) return { note, mentioned: [] as string[] };
    const rows = await q.insertMentions(tx, note, resolveMentions(body, await q.activeTeam(tx), author.id));
    for (const row of rows) {
      await schedule(tx, MENTION_EMAIL_JOB, { notificationId: row.id }, { runAt: new Date(deps.clock.now()), idempotencyKey: `${MENTION_EMAIL_JOB}:${row.id}` });
    }
    return { note, mentioned: rows.map((r) => r.agentId) };
  });
  await noteAdded(deps, note, mentioned);
  return note;
}

/** The `@` list of a conversation's note for `query`; undefined when there is no such conversation. */
export async function teammates(db: Db, me: { id: string }, conversationId: string, query: string): Promise<Teammate[] | undefined> {
  if (!isUuid(conversationId) || !(await q.conversationExists(db, conversationId))) return undefined;
  return teammatesFor(await q.activeTeam(db), query, me.id);
}

/** Marks the agent's notification read; returns where it leads (null: nowhere any more; undefined: not theirs). */
export async function openNotification(deps: Pick<NoteDeps, "db" | "bus">, agentId: string, id: string): Promise<string | null | undefined> {
  if (!isUuid(id)) return undefined;
  const conversationId = await q.markRead(deps.db, agentId, id);
  if (conversationId !== undefined) await menuChanged(deps, agentId);
  return conversationId;
}

export async function markAllRead(deps: Pick<NoteDeps, "db" | "bus">, agentId: string): Promise<void> {
  await q.markAllRead(deps.db, agentId);
  await menuChanged(deps, agentId);
}
