// The conversation a widget socket joins (status, lastSeq, queue place, agent), read for many
// sockets at once. A reconnect storm joins thousands of sockets in seconds, and one statement per
// socket scanned the queue up to that customer's place each time: with 9,500 customers waiting,
// PostgreSQL took both cores for tens of seconds (bench/reconnect-storm.ts). The joins that arrive
// while one read is under way go in the next, together, with one scan of the queue for all. A
// quiet server reads each at once, as before.
import * as conversations from "../conversations/service.ts";
import type { Db } from "../db/database.ts";
import type { WidgetConversation } from "./frames.ts";
import { widgetView } from "./service.ts";

/** At most this many conversations per statement. */
const MAX_BATCH = 500;

type Waiter = { resolve: (view: WidgetConversation | null) => void; reject: (err: unknown) => void };

export function widgetConversationReader(db: Db) {
  const pending = new Map<string, Waiter[]>();
  let reading = false;

  async function readAll() {
    reading = true;
    while (pending.size > 0) {
      const batch: [string, Waiter[]][] = [];
      for (const entry of pending) if (batch.push(entry) === MAX_BATCH) break;
      for (const [id] of batch) pending.delete(id);
      try {
        const found = new Map((await conversations.summaries(db, batch.map(([id]) => id))).map((s) => [s.id, s]));
        await Promise.all(
          batch.map(async ([id, waiters]) => {
            const view = await widgetView(db, found.get(id));
            for (const w of waiters) w.resolve(view);
          }),
        );
      } catch (err) {
        // As a read of its own would: each join fails, and its socket's frame handling reports it.
        for (const [, waiters] of batch) for (const w of waiters) w.reject(err);
      }
    }
    reading = false;
  }

  return {
    /** How the conversation looks now: read after this call, never from an earlier read (the join subscribed first). */
    read(conversationId: string): Promise<WidgetConversation | null> {
      return new Promise((resolve, reject) => {
        const waiters = pending.get(conversationId);
        if (waiters) waiters.push({ resolve, reject });
        else pending.set(conversationId, [{ resolve, reject }]);
        if (!reading) void readAll();
      });
    },
  };
}
