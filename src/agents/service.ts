import type { Db } from "../db/database.ts";
import { Refusal } from "../http/refusal.ts";
import type { Logger } from "../log/logger.ts";
import { hmacHex, randomToken } from "../auth/tokens.ts";
import type { Bus } from "../realtime/bus.ts";
import { nameProblem, passwordProblem, type EmailNotificationPrefs, type FieldErrors, type NewAdmin, type NotificationPrefs, type Theme } from "./model.ts";
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
  if (created) log.info("created the first admin from ADMIN_EMAIL", { agent: created.id });
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
  return { token: await startSession(db, secret, agent.id, input.userAgent), agent };
}

/** A new session for an agent whose identity was just proven; returns the cookie's token. */
export async function startSession(db: Db, secret: string, agentId: string, userAgent: string | null): Promise<string> {
  const token = randomToken();
  await q.insertSession(db, {
    agentId,
    tokenHash: hmacHex(secret, token),
    userAgent: userAgent?.slice(0, 300) ?? null,
    expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS),
  });
  return token;
}

/** A live session: who, which session (sockets are bound to it), and until when it lasts unless used. */
export interface AgentSession {
  agent: q.Agent;
  sessionId: string;
  expiresAt: Date;
}

/** The live session behind a session cookie; sessions slide forward while they are used. */
export async function sessionForToken(db: Db, secret: string, token: string): Promise<AgentSession | null> {
  const found = await q.findSessionAgent(db, hmacHex(secret, token));
  if (!found) return null;
  let expiresAt = found.expiresAt;
  if (Date.now() - found.lastSeenAt.getTime() > SESSION_TOUCH_INTERVAL_MS) {
    expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
    await q.touchSession(db, found.sessionId, expiresAt);
  }
  return { agent: found.agent, sessionId: found.sessionId, expiresAt };
}

/** The signed-in agent for a session cookie. */
export async function agentForSession(db: Db, secret: string, token: string): Promise<q.Agent | null> {
  return (await sessionForToken(db, secret, token))?.agent ?? null;
}

/** Of these session ids, the live ones with their current expiry (sockets re-check theirs). */
export function liveSessions(db: Db, sessionIds: string[]): Promise<Map<string, Date>> {
  return q.liveSessionIds(db, sessionIds);
}

/** What ending sessions needs: the database, and the bus to tell every instance to close their sockets. */
export interface SessionDeps {
  db: Db;
  bus: Bus;
}

/**
 * After commit: every instance closes the open sockets of sessions that ended (this one's at once).
 * Should the message be lost, each socket finds out at its next re-check (see src/inbox/socket.tsx).
 */
function announceSessionsEnded(bus: Bus, sessionIds: string[]): void {
  if (sessionIds.length) bus.control({ type: "sessions_ended", sessionIds });
}

export async function signOut(deps: SessionDeps, secret: string, token: string): Promise<void> {
  const ended = await q.revokeSession(deps.db, hmacHex(secret, token));
  if (ended) announceSessionsEnded(deps.bus, [ended]);
}

// --- the team (admins) -----------------------------------------------------------------------

export interface TeamDeps {
  db: Db;
  /** Tells every instance when an agent's access ends, so that each closes their sockets. */
  bus: Bus;
  log: Logger;
}

export function listAgents(db: Db): Promise<q.Agent[]> {
  return q.listAgents(db);
}

/** Why a change of an agent's account did nothing: 404 for an unknown agent, 409 otherwise. */
export class AgentRefused extends Refusal {
  override name = "AgentRefused";
  constructor(
    override readonly code: "self" | "last_admin" | "not_found",
    message: string,
  ) {
    super(code === "not_found" ? 404 : 409, code, message);
  }
}

/**
 * Deactivates an agent: sign-in refused, every session ended in the same transaction, and after
 * commit every instance is told to close their open inbox sockets (a control message on the bus;
 * this instance's close at once). Deactivating twice changes nothing. Should the message be lost
 * between instances, a socket it missed lives on only until it reconnects, which the ended
 * session refuses.
 */
export async function deactivateAgent(deps: TeamDeps, actor: q.Agent, agentId: string): Promise<void> {
  if (agentId === actor.id) throw new AgentRefused("self", "You cannot deactivate yourself. Ask another admin.");
  const outcome = await q.deactivateAgent(deps.db, agentId);
  if (outcome === "not_found") throw new AgentRefused("not_found", "This agent does not exist.");
  if (outcome === "last_admin") {
    throw new AgentRefused("last_admin", "This is the last active admin. Make someone else an admin first.");
  }
  // After commit: the database already refuses their sessions; this ends what is open right now.
  deps.bus.control({ type: "agent_access_ended", agentId });
  deps.log.info("agent deactivated", { agent: agentId, by: actor.id });
}

export async function reactivateAgent(deps: TeamDeps, actor: q.Agent, agentId: string): Promise<void> {
  if (!(await q.reactivateAgent(deps.db, agentId))) throw new AgentRefused("not_found", "This agent is not deactivated.");
  deps.log.info("agent reactivated", { agent: agentId, by: actor.id });
}

// --- one's own profile ----------------------------------------------------------------------

export async function renameAgent(db: Db, agent: q.Agent, rawName: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const name = rawName.trim();
  const error = nameProblem(name);
  if (error) return { ok: false, error };
  await q.updateAgentName(db, agent.id, name);
  return { ok: true };
}

/**
 * Changes the password of the signed-in agent. The current password is required (a borrowed,
 * unlocked browser is not enough); every other session of theirs ends, with its open sockets;
 * this one stays.
 */
export async function changePassword(
  deps: SessionDeps,
  secret: string,
  agent: q.Agent,
  sessionToken: string,
  input: { current: string; password: string },
): Promise<{ ok: true } | { ok: false; errors: FieldErrors<"current" | "password"> }> {
  const errors: FieldErrors<"current" | "password"> = {};
  if (!(await Bun.password.verify(input.current, agent.passwordHash))) errors.current = "That is not your current password.";
  const problem = passwordProblem(input.password);
  if (problem) errors.password = problem;
  if (Object.keys(errors).length) return { ok: false, errors };
  const ended = await q.updatePassword(deps.db, agent.id, await Bun.password.hash(input.password), hmacHex(secret, sessionToken));
  announceSessionsEnded(deps.bus, ended);
  return { ok: true };
}

/** The notification choices of an agent row at hand (the session's, say): no query needed. */
export function notificationsOf(agent: Pick<q.Agent, "notifySound" | "notifyDesktop">): NotificationPrefs {
  return { sound: agent.notifySound, desktop: agent.notifyDesktop };
}

export async function setNotificationPrefs(db: Db, agentId: string, prefs: NotificationPrefs): Promise<void> {
  await q.updateNotifications(db, agentId, prefs);
}

/** The agent's look: the pages they load from now on are rendered with it. */
export async function setTheme(db: Db, agentId: string, theme: Theme): Promise<void> {
  await q.updateTheme(db, agentId, theme);
}

export function emailNotificationsOf(agent: Pick<q.Agent, "notifyEmail" | "notifyQueueEmail">): EmailNotificationPrefs {
  return { message: agent.notifyEmail, queue: agent.notifyQueueEmail };
}

/** Saves the email choices; the queue alert is an admin's choice only, left alone for agents. */
export async function setEmailNotificationPrefs(db: Db, agent: Pick<q.Agent, "id" | "role">, prefs: EmailNotificationPrefs): Promise<void> {
  await q.updateEmailNotifications(db, agent.id, agent.role === "admin" ? prefs : { message: prefs.message });
}
