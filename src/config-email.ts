// SMTP_URL / MAIL_FROM (sending) and the inbound email variables (receiving replies).
import { ConfigError, fail, MIN_SESSION_SECRET_LENGTH, parseCount, read, type Env } from "./config-parse.ts";

/** Unset: invite links are shown to the admin to pass on, and no conversation email is sent. */
export type SmtpConfig = { url: string; from: string } | null;

export interface EmailConfig {
  /** The domain of reply addresses; null: emails carry no reply address, replies by email are off. */
  inboundDomain: string | null;
  /** Our SMTP listener's port; null: not listening. */
  inboundPort: number | null;
  /** The bearer token POST /api/v1/inbound-email requires; null: that route answers 404. */
  inboundSecret: string | null;
  /** Instead of each inbox's delay (minutes), wait this many seconds: for tests and demos only. */
  replyDelaySecondsOverride: number | null;
}

/** `MAIL_FROM` as "Name <address>" or a bare address; defaults to no-reply at PUBLIC_URL's host. */
export function parseSmtp(env: Env, publicUrl: URL): SmtpConfig {
  const rawUrl = read(env, "SMTP_URL");
  const rawFrom = read(env, "MAIL_FROM");
  if (rawUrl === undefined) return null;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    // The URL may hold a password: name the variable, never echo the value.
    throw new ConfigError("SMTP_URL must be a URL like smtp://user:password@mail.example.com:587 or smtps://...");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new ConfigError(`SMTP_URL must start with smtp:// or smtps:// (got ${url.protocol}//...)`);
  }
  if (!url.hostname) throw new ConfigError("SMTP_URL must name a host, like smtp://mail.example.com:587");
  const host = publicUrl.hostname.includes(".") ? publicUrl.hostname : "localhost.localdomain";
  const from = rawFrom ?? `SupportDesk <no-reply@${host}>`;
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(address) || /[\r\n]/.test(from)) {
    fail("MAIL_FROM", 'an address like "SupportDesk <support@example.com>" or support@example.com', from);
  }
  return { url: rawUrl, from };
}

/** Inbound email: a domain to receive replies at, the listener's port, the webhook's secret. */
export function parseEmail(env: Env): EmailConfig {
  const domain = read(env, "INBOUND_EMAIL_DOMAIN")?.toLowerCase();
  if (domain !== undefined && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$|^localhost$/.test(domain)) {
    fail("INBOUND_EMAIL_DOMAIN", "a domain name like reply.example.com", domain);
  }
  const rawPort = read(env, "SMTP_INBOUND_PORT");
  const inboundPort = rawPort === undefined ? null : parseCount("SMTP_INBOUND_PORT", rawPort, 1, 65535, 0);
  const inboundSecret = read(env, "INBOUND_EMAIL_SECRET") ?? null;
  if (inboundSecret !== null && inboundSecret.length < MIN_SESSION_SECRET_LENGTH) {
    // Never echo a secret, even a rejected one.
    throw new ConfigError(`INBOUND_EMAIL_SECRET must be at least ${MIN_SESSION_SECRET_LENGTH} characters long (got ${inboundSecret.length})`);
  }
  if ((inboundPort !== null || inboundSecret !== null) && domain === undefined) {
    throw new ConfigError("INBOUND_EMAIL_DOMAIN must be set when SMTP_INBOUND_PORT or INBOUND_EMAIL_SECRET is set: replies are addressed to it");
  }
  const rawDelay = read(env, "REPLY_EMAIL_DELAY_SECONDS");
  return {
    inboundDomain: domain ?? null,
    inboundPort,
    inboundSecret,
    replyDelaySecondsOverride: rawDelay === undefined ? null : parseCount("REPLY_EMAIL_DELAY_SECONDS", rawDelay, 0, 86_400, 0),
  };
}
