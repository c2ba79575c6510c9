// What happens after a note commits: the note to the agents viewing its conversation (never the
// conversation's customer topic), and each mentioned agent's menu and desktop notification to
// that agent's own topic. Rendered once per audience; nothing here writes.
import type { Bus } from "../realtime/bus.ts";
import type { Db } from "../db/database.ts";
import { topics } from "../realtime/topics.ts";
import { notificationFrame } from "../conversations/agent-notifications.ts";
import { NotePush } from "../../views/notes/note-item.tsx";
import { NotificationsPush } from "../../views/notes/notifications-menu.tsx";
import type { Note, NotificationsView } from "./model.ts";
import * as q from "./queries.ts";

export async function notificationsView(db: Db, agentId: string): Promise<NotificationsView> {
  const [items, unread] = await Promise.all([q.notificationsOf(db, agentId), q.unreadCount(db, agentId)]);
  return { items, unread };
}

/** An agent's menu changed (a mention, a read): their pages update, on every instance. */
export async function menuChanged(deps: { db: Db; bus: Bus }, agentId: string): Promise<void> {
  const view = await notificationsView(deps.db, agentId);
  deps.bus.publish(topics.agent(agentId), await (<NotificationsPush view={view} />));
}

/** A new note: its card to the agents viewing the conversation; each mentioned agent told. */
export async function noteAdded(deps: { db: Db; bus: Bus }, note: Note, mentioned: string[]): Promise<void> {
  deps.bus.publish(topics.conversationAgents(note.conversationId), await (<NotePush note={note} />));
  for (const agentId of mentioned) {
    await menuChanged(deps, agentId);
    const who = note.agentName ?? "A teammate";
    deps.bus.publish(topics.agent(agentId), notificationFrame({ title: `${who} mentioned you`, body: note.body, conversation: note.conversationId }));
  }
}
