// The widget's own writes to its inbox's row.
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { inboxes } from "../db/schema/index.ts";

/** Inboxes whose first sighting this process has written (or found written), per database handle: tests run several. */
const seen = new WeakMap<Db, Set<string>>();

/**
 * Records the first time the inbox's widget was shown on a website of its own (not our /demo):
 * `widget_seen_at`, which the onboarding checklist reads ("Put the widget on your site"). One
 * update per inbox and process at most, and it never moves once set. The inbox cache
 * (src/inboxes/service.ts) may show the old value for its few seconds: nothing in the widget reads it.
 */
export async function markWidgetSeen(db: Db, inboxId: string, now = new Date()): Promise<void> {
  let done = seen.get(db);
  if (!done) seen.set(db, (done = new Set()));
  if (done.has(inboxId)) return;
  done.add(inboxId);
  try {
    await db.update(inboxes).set({ widgetSeenAt: now }).where(and(eq(inboxes.id, inboxId), isNull(inboxes.widgetSeenAt)));
  } catch (error) {
    done.delete(inboxId); // tried again on the next page load
    throw error;
  }
}
