// Where each widget socket's customer is (page, browser, last seen), written at auth. A reconnect
// storm authenticates thousands of sockets at once: one UPDATE per socket would be thousands of
// statements and commits, so the visits that arrive while one write is under way go in the next,
// together. A quiet server writes each at once, as before.
import { recordVisits } from "../contacts/queries.ts";
import type { Visit } from "../contacts/visit.ts";
import type { Db } from "../db/database.ts";
import { errorMessage, type Logger } from "../log/logger.ts";

/** At most this many contacts per statement (three parameters each). */
const MAX_BATCH = 1000;

interface Pending {
  visit: Visit;
  waiters: ((exists: boolean) => void)[];
}

export function visitWriter(db: Db, log: Logger) {
  const pending = new Map<string, Pending>();
  let writing = false;

  async function writeAll() {
    writing = true;
    while (pending.size > 0) {
      // The oldest MAX_BATCH entries, taken without copying the rest (a storm queues thousands).
      const batch: [string, Pending][] = [];
      for (const entry of pending) if (batch.push(entry) === MAX_BATCH) break;
      for (const [id] of batch) pending.delete(id);
      try {
        const existing = await recordVisits(db, batch.map(([id, { visit }]) => ({ id, visit })));
        for (const [id, { waiters }] of batch) for (const resolve of waiters) resolve(existing.has(id));
      } catch (err) {
        // What agents see of where the customer is: never worth failing the chat over.
        log.warn("could not record the visitors' pages", { error: errorMessage(err), visits: batch.length });
        for (const [, { waiters }] of batch) for (const resolve of waiters) resolve(false);
      }
    }
    writing = false;
  }

  return {
    /** Records the visit; resolves with whether it was written: the contact's row exists (a new visitor's comes with their first message). Never rejects. */
    record(contactId: string, visit: Visit): Promise<boolean> {
      return new Promise((resolve) => {
        const entry = pending.get(contactId);
        // The same contact twice before a write (two tabs): the later visit is where they are now.
        if (entry) entry.visit = { page: visit.page ?? entry.visit.page, browser: visit.browser ?? entry.visit.browser };
        else pending.set(contactId, { visit, waiters: [resolve] });
        entry?.waiters.push(resolve);
        if (!writing) void writeAll();
      });
    },
  };
}
