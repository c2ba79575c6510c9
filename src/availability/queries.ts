import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { agents } from "../db/schema/index.ts";

export type Availability = "online" | "away";

/** Of these agents, the ones set to Online and still active. */
export async function availableAmong(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: agents.id })
    .from(agents)
    .where(and(inArray(agents.id, ids), eq(agents.availability, "online"), isNull(agents.deactivatedAt)));
  return rows.map((r) => r.id);
}

export async function setAvailability(db: Db, agentId: string, availability: Availability): Promise<void> {
  await db.update(agents).set({ availability }).where(eq(agents.id, agentId));
}
