// "Forgot password?" and an admin's reset: one-time links to /reset-password/{token}. The database
// keeps a hash of the token only (like invites); a link works once, until it expires, and using it
// ends every session of the agent.
import type { Agent } from "../agents/queries.ts";
import { findAgentByEmail, findAgentById } from "../agents/queries.ts";
import { passwordProblem } from "../agents/model.ts";
import { AgentRefused, startSession } from "../agents/service.ts";
import type { Db } from "../db/database.ts";
import type { Logger } from "../log/logger.ts";
import { mailErrorCodes, sendFailureReason, type Mailer } from "../mail/mailer.ts";
import type { Bus } from "../realtime/bus.ts";
import { resetMail } from "./password-reset-mail.ts";
import * as q from "./password-reset-queries.ts";
import { randomToken, sha256Hex } from "./tokens.ts";

/** An emailed (or printed) link: short, since a mailbox is read on many devices and kept for years. */
export const RESET_LINK_LIFETIME_MS = 60 * 60 * 1000;
/** A link an admin passes on by hand (chat, in person) may wait until the teammate is back. */
export const HANDED_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface ResetDeps {
  db: Db;
  bus: Bus;
  log: Logger;
  /** null without SMTP_URL: nothing is emailed, an admin resets instead. */
  mailer: Mailer | null;
  publicUrl: URL;
  now?: () => Date;
}

const nowOf = (deps: Pick<ResetDeps, "now">) => deps.now?.() ?? new Date();

/** base64url of 32 random bytes: anything else is not a token we made. */
export function looksLikeResetToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** A new one-time link for the agent; their earlier links stop working. */
export async function createResetLink(deps: Pick<ResetDeps, "db" | "publicUrl" | "now">, agentId: string, lifetimeMs: number): Promise<string> {
  const now = nowOf(deps);
  const token = randomToken(32);
  await q.replaceResetLink(deps.db, { agentId, tokenHash: sha256Hex(token), expiresAt: new Date(now.getTime() + lifetimeMs) }, now);
  return new URL(`/reset-password/${token}`, deps.publicUrl).toString();
}

/** At most one reset email per this long and agent. */
export const RESET_EMAIL_INTERVAL_MS = 5 * 60_000;

/**
 * Someone asked for a reset link for `email`. An active agent with that address gets it by email;
 * anyone else gets nothing, and the caller answers alike either way. The link exists when this
 * resolves; `sent` resolves once the email went out (or failed, which is logged): the page does not
 * wait for the mail server, so how long it takes says nothing about whether the address exists.
 */
export async function requestResetEmail(deps: ResetDeps, email: string): Promise<{ sent: Promise<void> } | null> {
  const agent = await findAgentByEmail(deps.db, email.trim());
  if (!deps.mailer || !agent || agent.deactivatedAt) return null;
  // One email per few minutes and address, whatever the number of addresses asking: no flood of
  // a mailbox from many IPs, and a link just sent (or an admin's) is not replaced over and over.
  const now = nowOf(deps);
  if (await q.hasOpenResetSince(deps.db, agent.id, new Date(now.getTime() - RESET_EMAIL_INTERVAL_MS), now)) return null;
  const link = await createResetLink(deps, agent.id, RESET_LINK_LIFETIME_MS);
  const mailer = deps.mailer;
  const sent = mailer.send(resetMail(agent.email, link)).then(
    () => deps.log.info("password reset link emailed", { agent: agent.id }),
    (err: unknown) => deps.log.error("password reset email not sent", { agent: agent.id, reason: sendFailureReason(err), ...mailErrorCodes(err) }),
  );
  return { sent };
}

/** "open": the link works (for this agent). "gone": it did once (used, replaced, expired). "unknown": never did. */
export type ResetLinkState = { state: "open"; agent: Agent } | { state: "gone" } | { state: "unknown" };

export async function resetLinkState(deps: Pick<ResetDeps, "db" | "now">, token: string): Promise<ResetLinkState> {
  if (!looksLikeResetToken(token)) return { state: "unknown" };
  const found = await q.findResetByTokenHash(deps.db, sha256Hex(token));
  if (!found) return { state: "unknown" };
  if (found.reset.usedAt || found.reset.expiresAt <= nowOf(deps) || found.agent.deactivatedAt) return { state: "gone" };
  return { state: "open", agent: found.agent };
}

export type ResetOutcome = { ok: true; agent: Agent; sessionToken: string } | { ok: false; reason: "gone" } | { ok: false; error: string };

/**
 * Sets the new password (the rules of setup) and uses up the link; every session of the agent ends,
 * with its open sockets, and a new one starts for whoever reset it (they just proved the link).
 */
export async function resetPassword(deps: ResetDeps, sessionSecret: string, token: string, password: string, userAgent: string | null): Promise<ResetOutcome> {
  if (!looksLikeResetToken(token)) return { ok: false, reason: "gone" };
  const problem = passwordProblem(password);
  if (problem) return { ok: false, error: problem };
  const used = await q.useResetLink(deps.db, sha256Hex(token), await Bun.password.hash(password), nowOf(deps));
  if (!used) return { ok: false, reason: "gone" };
  // After commit: every instance closes the sockets of the sessions that just ended.
  if (used.endedSessions.length) deps.bus.control({ type: "sessions_ended", sessionIds: used.endedSessions });
  deps.log.info("password reset", { agent: used.agent.id, sessionsEnded: used.endedSessions.length });
  return { ok: true, agent: used.agent, sessionToken: await startSession(deps.db, sessionSecret, used.agent.id, userAgent) };
}

/**
 * An admin resets a teammate's password: a one-time link for the admin to pass on (it is shown
 * once, never emailed, so it works without SMTP). The password stays until the link is used.
 */
export async function adminResetLink(deps: Pick<ResetDeps, "db" | "log" | "publicUrl" | "now">, admin: Agent, agentId: string): Promise<{ agent: Agent; link: string }> {
  const agent = await findAgentById(deps.db, agentId);
  if (!agent) throw new AgentRefused("not_found", "This agent does not exist.");
  if (agent.id === admin.id) throw new AgentRefused("self", "Change your own password in your profile.");
  if (agent.deactivatedAt) throw new AgentRefused("not_found", "This agent is deactivated: reactivate them first.");
  const link = await createResetLink(deps, agent.id, HANDED_LINK_LIFETIME_MS);
  deps.log.info("password reset link made by an admin", { agent: agent.id, by: admin.id });
  return { agent, link };
}
