import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { agents, passwordResets } from "../db/schema/index.ts";
import { revokeAgentSessions, type Agent } from "../agents/queries.ts";

export type PasswordReset = typeof passwordResets.$inferSelect;

const isOpen = (now: Date) => and(isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now));

/**
 * A new reset link for an agent; their earlier open links stop working in the same transaction,
 * so only the newest link (the one in the latest email) ever works.
 */
export async function replaceResetLink(db: Db, reset: { agentId: string; tokenHash: string; expiresAt: Date }, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    // The agent's row locked first: two requests at once take turns, and the second closes the first's link.
    await tx.select({ id: agents.id }).from(agents).where(eq(agents.id, reset.agentId)).for("update");
    await tx.update(passwordResets).set({ usedAt: now }).where(and(eq(passwordResets.agentId, reset.agentId), isOpen(now)));
    await tx.insert(passwordResets).values({ ...reset, createdAt: now });
  });
}

/** Whether the agent has an open link made since `since` (a newer request then makes no second one). */
export async function hasOpenResetSince(db: Db, agentId: string, since: Date, now: Date): Promise<boolean> {
  const rows = await db
    .select({ id: passwordResets.id })
    .from(passwordResets)
    .where(and(eq(passwordResets.agentId, agentId), isOpen(now), gt(passwordResets.createdAt, since)))
    .limit(1);
  return rows.length > 0;
}

/** The reset row of a token hash and its agent, whatever its state. */
export async function findResetByTokenHash(db: Db, tokenHash: string): Promise<{ reset: PasswordReset; agent: Agent } | undefined> {
  const [row] = await db
    .select({ reset: passwordResets, agent: agents })
    .from(passwordResets)
    .innerJoin(agents, eq(agents.id, passwordResets.agentId))
    .where(eq(passwordResets.tokenHash, tokenHash))
    .limit(1);
  return row;
}

/**
 * Uses the link and sets the new password, or does neither. The conditional UPDATE is the claim:
 * of two posts of one link at once, one gets the row, the other none (null). Every session of the
 * agent ends in the same transaction; returns their ids, to close the open sockets after commit.
 */
export async function useResetLink(
  db: Db,
  tokenHash: string,
  passwordHash: string,
  now: Date,
): Promise<{ agent: Agent; endedSessions: string[] } | null> {
  try {
    return await db.transaction(async (tx) => {
      const [reset] = await tx
        .update(passwordResets)
        .set({ usedAt: now })
        .where(and(eq(passwordResets.tokenHash, tokenHash), isOpen(now)))
        .returning();
      if (!reset) return null;
      const [agent] = await tx
        .update(agents)
        .set({ passwordHash })
        .where(and(eq(agents.id, reset.agentId), isNull(agents.deactivatedAt)))
        .returning();
      // Deactivated meanwhile: the link stays unused, the password unchanged.
      if (!agent) throw new AgentDeactivated();
      // Any other open link of theirs is spent too: the password it would replace is gone.
      await tx.update(passwordResets).set({ usedAt: now }).where(and(eq(passwordResets.agentId, agent.id), isOpen(now)));
      return { agent, endedSessions: await revokeAgentSessions(tx, agent.id) };
    });
  } catch (err) {
    if (err instanceof AgentDeactivated) return null;
    throw err;
  }
}

class AgentDeactivated extends Error {
  override name = "AgentDeactivated";
}
