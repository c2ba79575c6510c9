import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { isUniqueViolation } from "../db/rows.ts";
import { agents, invites } from "../db/schema/index.ts";
import type { Agent } from "../agents/queries.ts";

export type Invite = typeof invites.$inferSelect;

const isOpen = () => and(isNull(invites.acceptedAt), isNull(invites.revokedAt));

/**
 * Inserts an invite and revokes the address's earlier open one, in one transaction: re-inviting
 * replaces. Two admins inviting the same address at once: the partial unique index stops the
 * second insert, which then retries and replaces the first.
 */
export async function replaceInvite(
  db: Db,
  invite: { email: string; role: "admin" | "agent"; tokenHash: string; invitedById: string; expiresAt: Date },
): Promise<Invite> {
  const attempt = () =>
    db.transaction(async (tx) => {
      await tx
        .update(invites)
        .set({ revokedAt: new Date() })
        .where(and(sql`lower(${invites.email}) = ${invite.email.toLowerCase()}`, isOpen()));
      const [created] = await tx.insert(invites).values(invite).returning();
      return created!;
    });
  try {
    return await attempt();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return attempt();
  }
}

export async function findInviteByTokenHash(db: Db, tokenHash: string): Promise<Invite | undefined> {
  const [row] = await db.select().from(invites).where(eq(invites.tokenHash, tokenHash)).limit(1);
  return row;
}

/** Open and not yet expired, oldest first. */
export async function listPendingInvites(db: Db, now: Date): Promise<Invite[]> {
  return db
    .select()
    .from(invites)
    .where(and(isOpen(), gt(invites.expiresAt, now)))
    .orderBy(asc(invites.createdAt), asc(invites.id));
}

export async function revokeInvite(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .update(invites)
    .set({ revokedAt: new Date() })
    .where(and(eq(invites.id, id), isOpen()))
    .returning({ id: invites.id });
  return rows.length > 0;
}

export class EmailTaken extends Error {
  override name = "EmailTaken";
}

/**
 * Uses the invite and creates its agent, or does neither. The conditional UPDATE is the claim:
 * of two accepts at once, PostgreSQL lets one update the row; the other re-checks the condition
 * after the first commits, finds the invite used and gets no row. Null: not open (any more).
 * Throws EmailTaken when an account got the address meanwhile (the claim is rolled back).
 */
export async function acceptInvite(
  db: Db,
  tokenHash: string,
  agent: { name: string; passwordHash: string },
  now: Date,
): Promise<Agent | null> {
  try {
    return await db.transaction(async (tx) => {
      const [invite] = await tx
        .update(invites)
        .set({ acceptedAt: now })
        .where(and(eq(invites.tokenHash, tokenHash), isOpen(), gt(invites.expiresAt, now)))
        .returning();
      if (!invite) return null;
      const [created] = await tx
        .insert(agents)
        .values({ email: invite.email.toLowerCase(), name: agent.name, role: invite.role, passwordHash: agent.passwordHash })
        .returning();
      await tx.update(invites).set({ acceptedById: created!.id }).where(eq(invites.id, invite.id));
      return created!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new EmailTaken("an agent has this email address already");
    throw err;
  }
}
