import { and, count, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { agents, agentSessions } from "../db/schema/index.ts";

export type Agent = typeof agents.$inferSelect;
export type NewAgent = typeof agents.$inferInsert;

/** Any fixed number: serialises "create the first admin" across requests and instances. */
const FIRST_ADMIN_LOCK_ID = 724_011_303;

export async function anyAgentExists(db: Db): Promise<boolean> {
  const rows = await db.select({ id: agents.id }).from(agents).limit(1);
  return rows.length > 0;
}

export async function countAgents(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(agents);
  return row?.n ?? 0;
}

/** Inserts the agent only while there is none yet; null when someone else was first. */
export async function insertFirstAgent(db: Db, agent: NewAgent): Promise<Agent | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_ADMIN_LOCK_ID})`);
    if (await anyAgentExists(tx)) return null;
    const [created] = await tx.insert(agents).values(agent).returning();
    return created ?? null;
  });
}

export async function findAgentByEmail(db: Db, email: string): Promise<Agent | undefined> {
  const [agent] = await db
    .select()
    .from(agents)
    .where(sql`lower(${agents.email}) = ${email.toLowerCase()}`)
    .limit(1);
  return agent;
}

export async function insertSession(
  db: Db,
  session: { agentId: string; tokenHash: string; userAgent: string | null; expiresAt: Date },
): Promise<void> {
  await db.insert(agentSessions).values(session);
}

/** The active agent behind a live session, or undefined. */
export async function findSessionAgent(db: Db, tokenHash: string, now = new Date()) {
  const [row] = await db
    .select({ agent: agents, sessionId: agentSessions.id, lastSeenAt: agentSessions.lastSeenAt })
    .from(agentSessions)
    .innerJoin(agents, eq(agents.id, agentSessions.agentId))
    .where(
      and(
        eq(agentSessions.tokenHash, tokenHash),
        isNull(agentSessions.revokedAt),
        gt(agentSessions.expiresAt, now),
        isNull(agents.deactivatedAt),
      ),
    )
    .limit(1);
  return row;
}

export async function touchSession(db: Db, sessionId: string, expiresAt: Date): Promise<void> {
  await db.update(agentSessions).set({ lastSeenAt: new Date(), expiresAt }).where(eq(agentSessions.id, sessionId));
}

export async function revokeSession(db: Db, tokenHash: string): Promise<void> {
  await db
    .update(agentSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(agentSessions.tokenHash, tokenHash), isNull(agentSessions.revokedAt)));
}
