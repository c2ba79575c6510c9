// What tests read back to check what the app stored, where the app itself never reads it so.
import { eq } from "drizzle-orm";
import type { NotificationPrefs } from "../agents/model.ts";
import type { Db } from "../db/database.ts";
import { agents } from "../db/schema/index.ts";

/** The agent's notification choices as stored now; undefined for an unknown agent. */
export async function notificationPrefs(db: Db, agentId: string): Promise<NotificationPrefs | undefined> {
  const [row] = await db
    .select({ sound: agents.notifySound, desktop: agents.notifyDesktop })
    .from(agents)
    .where(eq(agents.id, agentId))
    .limit(1);
  return row;
}
