// The SQL of round-robin assignment: which queued conversations wait in round-robin inboxes, and
// the agents who could take one, locked while the choice is made.
import { and, asc, count, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { agents, conversations, inboxes } from "../db/schema/index.ts";

/** Round-robin inboxes with someone waiting, and their limits. */
export function roundRobinInboxesWaiting(db: Db) {
  return db
    .select({ id: inboxes.id, maxOpenPerAgent: inboxes.maxOpenPerAgent })
    .from(inboxes)
    .where(and(eq(inboxes.assignmentMode, "round_robin"), sql`exists (select 1 from ${conversations} c where c.inbox_id = ${inboxes.id} and c.status = 'queued')`));
}

/**
 * The inbox's longest-waiting conversation (queue order), locked. Asked with the candidates'
 * rows already locked, so runs on several instances take turns and the queue goes out in order.
 * Undefined also when the row found changed while we waited for its lock (a claim): ask again.
 */
export async function lockNextQueued(tx: Db, inboxId: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.inboxId, inboxId), eq(conversations.status, "queued")))
    .orderBy(asc(conversations.queuedAt), asc(conversations.id))
    .limit(1)
    .for("update");
  return row?.id;
}

/**
 * The candidates, locked in id order (a fixed order: two instances choosing at once cannot
 * deadlock, and the second waits for the first's count to include what it just gave). Taken
 * before any conversation's lock; no verb locks a conversation and then an agent.
 */
export async function lockCandidates(tx: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return tx
    .select({ id: agents.id, name: agents.name, lastAutoAssignedAt: agents.lastAutoAssignedAt })
    .from(agents)
    .where(and(inArray(agents.id, ids), eq(agents.availability, "online"), isNull(agents.deactivatedAt)))
    .orderBy(asc(agents.id))
    // Not FOR UPDATE: that would also block the key-share locks a claim takes on its agent's row
    // (the conversations.assignee_id foreign key) while it holds a conversation: a deadlock.
    .for("no key update");
}

/** Open (assigned) conversations per agent, across inboxes: an agent's load is all of theirs. */
export async function openCounts(tx: Db, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: conversations.assigneeId, n: count() })
    .from(conversations)
    .where(and(eq(conversations.status, "assigned"), inArray(conversations.assigneeId, ids)))
    .groupBy(conversations.assigneeId);
  return new Map(rows.map((r) => [r.id!, Number(r.n)]));
}

export async function anyQueued(db: Db, inboxId: string): Promise<boolean> {
  const rows = await db.select({ id: conversations.id }).from(conversations).where(and(eq(conversations.inboxId, inboxId), eq(conversations.status, "queued"))).limit(1);
  return rows.length > 0;
}

export async function markAutoAssigned(tx: Db, agentId: string, at: Date): Promise<void> {
  await tx.update(agents).set({ lastAutoAssignedAt: at }).where(eq(agents.id, agentId));
}
