import { createHash } from "node:crypto";
import { escapeHtml } from "@kitajs/html";
import type { Agent } from "../agents/queries.ts";
import { findAgentByEmail } from "../agents/queries.ts";
import { startSession } from "../agents/service.ts";
import { randomToken } from "../auth/tokens.ts";
import type { Db } from "../db/database.ts";
import { Refusal } from "../http/refusal.ts";
import type { Logger } from "../log/logger.ts";
import { mailErrorCodes, sendFailureReason, type Mailer } from "../mail/mailer.ts";
import { INVITE_LIFETIME_MS, looksLikeToken, type Acceptance, type NewInvite } from "./model.ts";
import * as q from "./queries.ts";

export type { Invite } from "./queries.ts";

export interface InviteDeps {
  db: Db;
  log: Logger;
  /** null without SMTP_URL: links are shown to the admin instead. */
  mailer: Mailer | null;
  publicUrl: URL;
  now?: () => Date;
}

/** What the database keeps of an invite token. A plain hash suffices: the token has 256 random bits. */
export function inviteTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The invite's email address cannot be invited; the message is for the form's email field. */
export class InviteRefused extends Refusal {
  override name = "InviteRefused";
  constructor(message: string) {
    super(422, "invite_refused", message);
  }
}

export interface CreatedInvite {
  invite: q.Invite;
  /** For the admin to pass on; null when it was emailed (it is shown nowhere then). */
  link: string | null;
  emailed: boolean;
  /** Set when SMTP is configured and sending failed; the invite exists anyway. */
  sendError: string | null;
}

/**
 * An admin invites an address with a role. Re-inviting an address with an open invite replaces it
 * (the old link stops working). After the commit the link is emailed when SMTP is configured.
 */
export async function createInvite(deps: InviteDeps, admin: Agent, input: NewInvite): Promise<CreatedInvite> {
  const existing = await findAgentByEmail(deps.db, input.email);
  if (existing && !existing.deactivatedAt) throw new InviteRefused("This address already belongs to an agent of your team.");
  if (existing) throw new InviteRefused("This address belongs to a deactivated agent: reactivate them in the list above instead.");

  const now = deps.now?.() ?? new Date();
  const token = randomToken(32);
  const invite = await q.replaceInvite(deps.db, {
    email: input.email,
    role: input.role,
    tokenHash: inviteTokenHash(token),
    invitedById: admin.id,
    expiresAt: new Date(now.getTime() + INVITE_LIFETIME_MS),
  });
  const link = new URL(`/invites/${token}`, deps.publicUrl).toString();
  deps.log.info("invite created", { invite: invite.id, role: invite.role, by: admin.id });

  if (!deps.mailer) return { invite, link, emailed: false, sendError: null };
  try {
    await deps.mailer.send(inviteMail(admin.name, invite.email, link));
    return { invite, link: null, emailed: true, sendError: null };
  } catch (err) {
    // The reason and the server's codes, not its message: a refusal quotes the recipient's address.
    deps.log.error("invite email not sent", { invite: invite.id, reason: sendFailureReason(err), ...mailErrorCodes(err) });
    return { invite, link, emailed: false, sendError: sendFailureReason(err) };
  }
}

export function inviteMail(inviterName: string, to: string, link: string) {
  const text =
    `${inviterName} invited you to answer customers in SupportDesk.\n\n` +
    `Open this link to choose your name and password:\n${link}\n\n` +
    "The link works once and expires in 7 days. If you did not expect this email, ignore it.\n";
  const html =
    `<p>${escapeHtml(inviterName)} invited you to answer customers in SupportDesk.</p>` +
    `<p><a href="${escapeHtml(link)}">Accept the invite</a></p>` +
    `<p>Or open this link: ${escapeHtml(link)}</p>` +
    "<p>The link works once and expires in 7 days. If you did not expect this email, ignore it.</p>";
  return { to, subject: "You are invited to SupportDesk", text, html };
}

export function listPendingInvites(deps: Pick<InviteDeps, "db" | "now">): Promise<q.Invite[]> {
  return q.listPendingInvites(deps.db, deps.now?.() ?? new Date());
}

export async function revokeInvite(deps: Pick<InviteDeps, "db" | "log">, admin: Agent, id: string): Promise<boolean> {
  const done = await q.revokeInvite(deps.db, id);
  if (done) deps.log.info("invite revoked", { invite: id, by: admin.id });
  return done;
}

/** "open": the link works. "gone": it did once (used, revoked or expired). "unknown": never did. */
export type InviteState = { state: "open"; invite: q.Invite } | { state: "gone" } | { state: "unknown" };

export async function inviteForToken(deps: Pick<InviteDeps, "db" | "now">, token: string): Promise<InviteState> {
  if (!looksLikeToken(token)) return { state: "unknown" };
  const invite = await q.findInviteByTokenHash(deps.db, inviteTokenHash(token));
  if (!invite) return { state: "unknown" };
  const now = deps.now?.() ?? new Date();
  if (invite.acceptedAt || invite.revokedAt || invite.expiresAt <= now) return { state: "gone" };
  return { state: "open", invite };
}

export type AcceptOutcome =
  | { ok: true; agent: Agent; sessionToken: string }
  | { ok: false; reason: "gone" }
  | { ok: false; reason: "email_taken" };

/**
 * Creates the invited agent, uses up the invite and signs them in. Of two accepts of one link at
 * the same moment exactly one creates an agent; the other is told the link is used.
 */
export async function acceptInvite(
  deps: Pick<InviteDeps, "db" | "log" | "now">,
  sessionSecret: string,
  token: string,
  input: Acceptance,
  userAgent: string | null,
): Promise<AcceptOutcome> {
  if (!looksLikeToken(token)) return { ok: false, reason: "gone" };
  const passwordHash = await Bun.password.hash(input.password);
  let agent: Agent | null;
  try {
    agent = await q.acceptInvite(deps.db, inviteTokenHash(token), { name: input.name, passwordHash }, deps.now?.() ?? new Date());
  } catch (err) {
    if (err instanceof q.EmailTaken) return { ok: false, reason: "email_taken" };
    throw err;
  }
  if (!agent) return { ok: false, reason: "gone" };
  deps.log.info("invite accepted", { agent: agent.id, role: agent.role });
  return { ok: true, agent, sessionToken: await startSession(deps.db, sessionSecret, agent.id, userAgent) };
}
