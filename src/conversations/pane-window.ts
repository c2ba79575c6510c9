// The window of a conversation's timeline the pane shows: its newest messages, and the events and
// notes from the oldest of those on. Both the events' and the notes' columns read it from here.
import { sql, type SQL } from "drizzle-orm";
import { messages } from "../db/schema/index.ts";

/** At most this many events, and this many notes, in the pane: the newest of the window. */
export const PANE_TIMELINE_LIMIT = 200;

/** When the oldest message the pane shows was written (`limit` newest of `picked`); -infinity when it shows them all. */
export function paneWindowStart(limit: SQL): SQL {
  return sql`coalesce((
    select m.created_at from ${messages} m where m.conversation_id = picked.id order by m.seq desc offset ${limit} limit 1
  ), '-infinity'::timestamptz)`;
}
