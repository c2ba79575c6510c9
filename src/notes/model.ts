// Private notes (issue 17 item 2): what a note is, what a note form may hold, and the notifications
// a mention makes. Notes live in their own table (src/db/schema/team-notes.ts), never among the
// messages, so that nothing that sends messages to a customer can carry one.
import { t } from "elysia";

export const NOTE_LIMITS = { body: 5000, clientId: 100, teammateQuery: 60 } as const;

export interface Note {
  id: string;
  conversationId: string;
  agentId: string | null;
  /** The author's name; null when the author's account is gone. */
  agentName: string | null;
  body: string;
  createdAt: Date;
}

/** One row of an agent's notifications menu: for now, only mentions. */
export interface MentionNotification {
  id: string;
  conversationId: string;
  actorName: string | null;
  /** The note's text (agents only, like the menu). */
  noteBody: string;
  readAt: Date | null;
  createdAt: Date;
}

/** What the menu shows: the newest notifications and how many are unread. */
export interface NotificationsView {
  unread: number;
  items: MentionNotification[];
}

/** The note form (views/conversations/composer.tsx in note mode); its `files` are not for notes and are ignored. */
export const noteForm = t.Object({
  body: t.Optional(t.String()),
  clientId: t.Optional(t.String({ maxLength: NOTE_LIMITS.clientId })),
  files: t.Optional(t.Union([t.String(), t.Array(t.String(), { maxItems: 100 })])),
});

export const teammateQuery = t.Object({ q: t.Optional(t.String({ maxLength: NOTE_LIMITS.teammateQuery })) });
