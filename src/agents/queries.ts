import { and, asc, count, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { agents, agentSessions, passwordResets } from "../db/schema/index.ts";

export type Agent = typeof agents.$inferSelect;
export type NewAgent = typeof agents.$inferInsert;

/** Any fixed number: serialises "create the first admin" across requests and instances. */
const FIRST_ADMIN_LOCK_ID = 724_011_303;
/** Serialises deactivations, so two admins deactivating each other cannot leave no admin at all. */
const ACTIVE_ADMINS_LOCK_ID = 724_011_304;

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

/**
 * The session lookup runs before every signed-in request, so it is built once per database and
 * sent as a prepared statement: no query building per request (a third of a small page's CPU).
 */
function sessionAgentStatement(db: Db) {
  return db
    .select({ agent: agents, sessionId: agentSessions.id, lastSeenAt: agentSessions.lastSeenAt, expiresAt: agentSessions.expiresAt })
    .from(agentSessions)
    .innerJoin(agents, eq(agents.id, agentSessions.agentId))
    .where(
      and(
        eq(agentSessions.tokenHash, sql.placeholder("tokenHash")),
        isNull(agentSessions.revokedAt),
        gt(agentSessions.expiresAt, sql.placeholder("now")),
        isNull(agents.deactivatedAt),
      ),
    )
    .limit(1)
    .prepare("session_agent");
}
const sessionAgentStatements = new WeakMap<Db, ReturnType<typeof sessionAgentStatement>>();

/** The active agent behind a live session, or undefined. */
export async function findSessionAgent(db: Db, tokenHash: string, now = new Date()) {
  let statement = sessionAgentStatements.get(db);
  if (!statement) sessionAgentStatements.set(db, (statement = sessionAgentStatement(db)));
  const [row] = await statement.execute({ tokenHash, now: now.toISOString() });
  return row;
}

export async function touchSession(db: Db, sessionId: string, expiresAt: Date): Promise<void> {
  await db.update(agentSessions).set({ lastSeenAt: new Date(), expiresAt }).where(eq(agentSessions.id, sessionId));
}

/** Ends the session with this token hash; returns its id, or null when it had ended already. */
export async function revokeSession(db: Db, tokenHash: string): Promise<string | null> {
  const [row] = await db
    .update(agentSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(agentSessions.tokenHash, tokenHash), isNull(agentSessions.revokedAt)))
    .returning({ id: agentSessions.id });
  return row?.id ?? null;
}

/** Which of these sessions are still live: not revoked, not expired, their agent active. */
export async function liveSessionIds(db: Db, ids: string[], now = new Date()): Promise<Map<string, Date>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: agentSessions.id, expiresAt: agentSessions.expiresAt })
    .from(agentSessions)
    .innerJoin(agents, eq(agents.id, agentSessions.agentId))
    .where(and(inArray(agentSessions.id, ids), isNull(agentSessions.revokedAt), gt(agentSessions.expiresAt, now), isNull(agents.deactivatedAt)));
  return new Map(rows.map((r) => [r.id, r.expiresAt]));
}

export async function findAgentById(db: Db, id: string): Promise<Agent | undefined> {
  const [agent] = await db.select().from(agents).where(eq(agents.id, id)).limit(1);
  return agent;
}

/** Everyone, active first, then by when they joined. */
export async function listAgents(db: Db): Promise<Agent[]> {
  return db
    .select()
    .from(agents)
    .orderBy(sql`${agents.deactivatedAt} is not null`, asc(agents.createdAt), asc(agents.id));
}

/** Ends every live session of an agent, except the one whose token hash is `keep`; returns the ids it ended. */
export async function revokeAgentSessions(db: Db, agentId: string, keep?: string): Promise<string[]> {
  const rows = await db
    .update(agentSessions)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(agentSessions.agentId, agentId),
        isNull(agentSessions.revokedAt),
        keep === undefined ? undefined : ne(agentSessions.tokenHash, keep),
      ),
    )
    .returning({ id: agentSessions.id });
  return rows.map((r) => r.id);
}

export type DeactivateOutcome = "done" | "not_found" | "already" | "last_admin";

/**
 * Marks the agent deactivated and ends all their sessions, in one transaction. Refuses to leave
 * no active admin; the lock makes that check hold when two deactivations run at once.
 */
export async function deactivateAgent(db: Db, agentId: string): Promise<DeactivateOutcome> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ACTIVE_ADMINS_LOCK_ID})`);
    const target = await findAgentById(tx, agentId);
    if (!target) return "not_found";
    if (target.deactivatedAt) return "already";
    if (target.role === "admin") {
      const [row] = await tx
        .select({ n: count() })
        .from(agents)
        .where(and(eq(agents.role, "admin"), isNull(agents.deactivatedAt), ne(agents.id, agentId)));
      if ((row?.n ?? 0) === 0) return "last_admin";
    }
    await tx.update(agents).set({ deactivatedAt: new Date() }).where(eq(agents.id, agentId));
    await revokeAgentSessions(tx, agentId);
    await closeResetLinks(tx, agentId);
    return "done";
  });
}

/** Reset links still open for the agent stop working (a new password, or a deactivation: a reactivation must not revive them). */
async function closeResetLinks(tx: Db, agentId: string): Promise<void> {
  await tx.update(passwordResets).set({ usedAt: new Date() }).where(and(eq(passwordResets.agentId, agentId), isNull(passwordResets.usedAt)));
}

export async function reactivateAgent(db: Db, agentId: string): Promise<boolean> {
  const rows = await db
    .update(agents)
    .set({ deactivatedAt: null })
    .where(and(eq(agents.id, agentId), sql`${agents.deactivatedAt} is not null`))
    .returning({ id: agents.id });
  return rows.length > 0;
}

export async function updateAgentName(db: Db, agentId: string, name: string): Promise<void> {
  await db.update(agents).set({ name }).where(eq(agents.id, agentId));
}

/**
 * The new hash, and every other session ended, together: a stolen session dies with the old
 * password. Returns the ids of the sessions it ended.
 */
export async function updatePassword(db: Db, agentId: string, passwordHash: string, keepSession: string): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.update(agents).set({ passwordHash }).where(eq(agents.id, agentId));
    await closeResetLinks(tx, agentId);
    return revokeAgentSessions(tx, agentId, keepSession);
  });
}

export async function updateNotifications(db: Db, agentId: string, prefs: { sound: boolean; desktop: boolean }): Promise<void> {
  await db.update(agents).set({ notifySound: prefs.sound, notifyDesktop: prefs.desktop }).where(eq(agents.id, agentId));
}

export async function updateTheme(db: Db, agentId: string, theme: Agent["theme"]): Promise<void> {
  await db.update(agents).set({ theme }).where(eq(agents.id, agentId));
}

/** These agents had an inbox open at `at` (agents.inbox_seen_at; the email alerts read it). */
export async function markInboxSeen(db: Db, agentIds: string[], at: Date): Promise<void> {
  if (!agentIds.length) return;
  await db.update(agents).set({ inboxSeenAt: at }).where(inArray(agents.id, agentIds));
}

export async function updateEmailNotifications(db: Db, agentId: string, prefs: { message: boolean; queue?: boolean }): Promise<void> {
  await db
    .update(agents)
    .set({ notifyEmail: prefs.message, ...(prefs.queue === undefined ? {} : { notifyQueueEmail: prefs.queue }) })
    .where(eq(agents.id, agentId));
}
