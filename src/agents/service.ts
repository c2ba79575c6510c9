import type { Db } from "../db/database.ts";
import type { Logger } from "../log/logger.ts";
import { hmacHex, randomToken } from "../auth/tokens.ts";
import type { NewAdmin } from "./model.ts";
import * as q from "./queries.ts";

export type { Agent } from "./queries.ts";

export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** Extending a session writes a row; once an hour per session is plenty. */
const SESSION_TOUCH_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Verified against when the email is unknown, so a wrong address costs as long as a wrong
 * password. Made on first use, not at import: `--version` and every test process would pay for it.
 */
let dummyHash: Promise<string> | undefined;
const dummyPasswordHash = () => (dummyHash ??= Bun.password.hash("not-a-real-password"));

export async function needsSetup(db: Db): Promise<boolean> {
  return !(await q.anyAgentExists(db));
}

/** Creates the first admin; null when an agent exists already (setup was done, maybe a moment ago). */
export async function createFirstAdmin(db: Db, admin: NewAdmin): Promise<q.Agent | null> {
  return q.insertFirstAgent(db, {
    name: admin.name,
    email: admin.email.toLowerCase(),
    role: "admin",
    passwordHash: await Bun.password.hash(admin.password),
  });
}

/** ADMIN_EMAIL/ADMIN_PASSWORD: for automated installs that cannot click through /setup. */
export async function ensureAdminFromConfig(db: Db, admin: { email: string; password: string }, log: Logger) {
  const created = await createFirstAdmin(db, { name: admin.email.split("@")[0] ?? "Admin", ...admin });
  if (created) log.info("created the first admin from ADMIN_EMAIL", { email: created.email });
  else log.debug("ADMIN_EMAIL ignored: agents exist already");
}

export async function signIn(
  db: Db,
  secret: string,
  input: { email: string; password: string; userAgent: string | null },
): Promise<{ token: string; agent: q.Agent } | null> {
  const agent = await q.findAgentByEmail(db, input.email.trim());
  const valid = await Bun.password.verify(input.password, agent?.passwordHash ?? (await dummyPasswordHash()));
  if (!agent || !valid || agent.deactivatedAt) return null;
  const token = randomToken();
  await q.insertSession(db, {
    agentId: agent.id,
    tokenHash: hmacHex(secret, token),
    userAgent: input.userAgent?.slice(0, 300) ?? null,
    expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS),
  });
  return { token, agent };
}

/** The signed-in agent for a session cookie; sessions slide forward while they are used. */
export async function agentForSession(db: Db, secret: string, token: string): Promise<q.Agent | null> {
  const found = await q.findSessionAgent(db, hmacHex(secret, token));
  if (!found) return null;
  if (Date.now() - found.lastSeenAt.getTime() > SESSION_TOUCH_INTERVAL_MS) {
    await q.touchSession(db, found.sessionId, new Date(Date.now() + SESSION_LIFETIME_MS));
  }
  return found.agent;
}

export async function signOut(db: Db, secret: string, token: string): Promise<void> {
  await q.revokeSession(db, hmacHex(secret, token));
}
