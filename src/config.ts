// The only reader of process.env. Everything else receives a validated Config.
// Each parser returns a value or throws a ConfigError whose message is the one line an operator
// sees: the variable, what it expects and what it got.
import { isAbsolute, resolve } from "node:path";
import { LIMIT_VARIABLES, limitSettingsFrom, type LimitSettings } from "./limits/settings.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "pretty" | "json";

export interface Config {
  port: number;
  host: string;
  /** Where browsers reach this server; origin checks and absolute links use it. */
  publicUrl: URL;
  /** Unset: embedded PGlite in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  /** Unset: an in-process bus, one instance. */
  redisUrl: string | null;
  /** Unset: generated once and kept in dataDir (see src/auth/session-secret.ts). */
  sessionSecret: string | null;
  admin: { email: string; password: string } | null;
  logLevel: LogLevel;
  logFormat: LogFormat;
  /** Behind a reverse proxy: take the client's address from X-Forwarded-For (rate limits per IP). */
  trustProxy: boolean;
  /** Unset: invite links are shown to the admin to pass on instead of being emailed. */
  smtp: { url: string; from: string } | null;
  /**
   * Conversation email (src/mail): replies come back to `reply+{token}@{inboundDomain}`, received by
   * our own SMTP listener (`inboundPort`, off when null) and/or POST /api/v1/inbound-email with
   * `inboundSecret` (off when null). All null without SMTP_URL... except inbound, which also works alone.
   */
  email: EmailConfig;
  /** IANA zone whose days analytics counts in (read through src/analytics/time-zone.ts only). */
  timeZone: string;
  /**
   * Every rate limit and cap (src/limits/settings.ts): offices, schools and mobile carriers put many
   * customers behind one address, and a load test runs from one; operators raise them.
   */
  limits: LimitSettings;
}

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

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];
const LOG_FORMATS: readonly LogFormat[] = ["pretty", "json"];
export const MIN_SESSION_SECRET_LENGTH = 32;
export const MIN_PASSWORD_LENGTH = 8;
/** The largest value a limit variable takes: beyond it a limit is no limit, and a typo is likelier. */
export const MAX_LIMIT = 1_000_000;

function fail(name: string, expects: string, got: string): never {
  throw new ConfigError(`${name} must be ${expects} (got ${JSON.stringify(got)})`);
}

/** Empty strings count as unset: `FOO=` in a compose file should not mean "the empty value". */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined) return 3000;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 0 || port > 65535) fail("PORT", "an integer from 0 to 65535", raw);
  return port;
}

function parseUrl(name: string, raw: string, protocols: string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(name, `a URL starting with ${protocols.join(" or ")}`, raw);
  }
  if (!protocols.includes(url.protocol)) fail(name, `a URL starting with ${protocols.join(" or ")}`, raw);
  return url;
}

function parseEnum<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) fail(name, `one of ${allowed.join(", ")}`, raw);
  return raw as T;
}

function parseAdmin(env: Env): Config["admin"] {
  const email = read(env, "ADMIN_EMAIL");
  const password = env.ADMIN_PASSWORD;
  if (email === undefined && !password) return null;
  if (email === undefined) throw new ConfigError("ADMIN_EMAIL must be set when ADMIN_PASSWORD is set");
  if (!password) throw new ConfigError("ADMIN_PASSWORD must be set when ADMIN_EMAIL is set");
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) fail("ADMIN_EMAIL", "an email address", email);
  if (password.length < MIN_PASSWORD_LENGTH) {
    // Never echo a password, even a rejected one.
    throw new ConfigError(`ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
  return { email: email.toLowerCase(), password };
}

/** `MAIL_FROM` as "Name <address>" or a bare address; defaults to no-reply at PUBLIC_URL's host. */
function parseSmtp(env: Env, publicUrl: URL): Config["smtp"] {
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
function parseEmail(env: Env): EmailConfig {
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

/**
 * An IANA zone name ("Europe/Berlin", "UTC"), as Intl knows it, in its canonical spelling.
 * Offsets such as "+01:00" are refused although Intl takes them: PostgreSQL reads a bare offset
 * with the opposite (POSIX) sign, so the same string would mean two different zones.
 */
function parseTimeZone(raw: string | undefined): string {
  if (raw === undefined) return "UTC";
  const expects = 'an IANA time zone name like "Europe/Berlin" or "UTC"';
  if (!/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/.test(raw)) fail("TIME_ZONE", expects, raw);
  try {
    return new Intl.DateTimeFormat("en", { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    fail("TIME_ZONE", expects, raw);
  }
}

/** A whole number from `min` to `max`, or `fallback` when unset. */
function parseCount(name: string, raw: string | undefined, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(name, `a whole number from ${min} to ${max}`, raw);
  }
  return value;
}

function parseSessionSecret(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (raw.length < MIN_SESSION_SECRET_LENGTH) {
    throw new ConfigError(
      `SESSION_SECRET must be at least ${MIN_SESSION_SECRET_LENGTH} characters long (got ${raw.length}); ` +
        "leave it unset to have one generated in DATA_DIR",
    );
  }
  return raw;
}

export function parseConfig(env: Env, cwd = process.cwd()): Config {
  const port = parsePort(read(env, "PORT"));
  const host = read(env, "HOST") ?? "0.0.0.0";
  if (/\s|\//.test(host)) fail("HOST", "a host name or IP address to listen on", host);

  const rawPublicUrl = read(env, "PUBLIC_URL");
  const publicUrl = rawPublicUrl
    ? parseUrl("PUBLIC_URL", rawPublicUrl, ["http:", "https:"])
    : new URL(`http://localhost:${port}`);
  if (rawPublicUrl && (publicUrl.pathname !== "/" || publicUrl.search || publicUrl.hash)) {
    fail("PUBLIC_URL", "an origin without a path, like https://support.example.com", rawPublicUrl);
  }

  const rawDatabaseUrl = read(env, "DATABASE_URL");
  const databaseUrl = rawDatabaseUrl
    ? parseUrl("DATABASE_URL", rawDatabaseUrl, ["postgres:", "postgresql:"]).toString()
    : null;
  const rawRedisUrl = read(env, "REDIS_URL");
  const redisUrl = rawRedisUrl ? parseUrl("REDIS_URL", rawRedisUrl, ["redis:", "rediss:"]).toString() : null;

  const rawDataDir = read(env, "DATA_DIR") ?? "./data";
  const dataDir = isAbsolute(rawDataDir) ? rawDataDir : resolve(cwd, rawDataDir);

  const sessionSecret = parseSessionSecret(read(env, "SESSION_SECRET"));
  // Several instances must agree on the secret that session cookies are checked against; a
  // secret generated in each instance's own DATA_DIR would sign agents out on every other one.
  if (redisUrl && !sessionSecret) {
    throw new ConfigError("SESSION_SECRET must be set when REDIS_URL is set, the same on every instance");
  }

  return {
    port,
    host,
    publicUrl,
    databaseUrl,
    dataDir,
    redisUrl,
    sessionSecret,
    admin: parseAdmin(env),
    logLevel: parseEnum("LOG_LEVEL", read(env, "LOG_LEVEL"), LOG_LEVELS, "info"),
    logFormat: parseEnum("LOG_FORMAT", read(env, "LOG_FORMAT"), LOG_FORMATS, "pretty"),
    trustProxy: parseEnum("TRUST_PROXY", read(env, "TRUST_PROXY"), ["true", "false"] as const, "false") === "true",
    smtp: parseSmtp(env, publicUrl),
    email: parseEmail(env),
    timeZone: parseTimeZone(read(env, "TIME_ZONE")),
    limits: limitSettingsFrom(({ env: name, fallback, max }) => parseCount(name, read(env, name), 1, max ?? MAX_LIMIT, fallback)),
  };
}

/** The documentation of every variable, printed by `supportdesk --help` and mirrored in the README. */
export const CONFIG_HELP: ReadonlyArray<[name: string, meaning: string]> = [
  ["PORT", "port to listen on (default 3000)"],
  ["HOST", "address to listen on (default 0.0.0.0)"],
  ["PUBLIC_URL", "origin browsers use to reach SupportDesk (default http://localhost:PORT)"],
  ["DATABASE_URL", "postgres://... to use PostgreSQL; unset: embedded database in DATA_DIR"],
  ["DATA_DIR", "directory for the embedded database and generated secrets (default ./data)"],
  ["REDIS_URL", "redis://... to share realtime events between instances; unset: one instance"],
  ["SESSION_SECRET", `at least ${MIN_SESSION_SECRET_LENGTH} characters; unset: generated once in DATA_DIR`],
  ["ADMIN_EMAIL", "with ADMIN_PASSWORD: create this admin at boot when no agent exists yet"],
  ["ADMIN_PASSWORD", `the first admin's password (at least ${MIN_PASSWORD_LENGTH} characters)`],
  ["LOG_LEVEL", "debug, info, warn or error (default info)"],
  ["LOG_FORMAT", "pretty or json (default pretty)"],
  ["TRUST_PROXY", "true behind a reverse proxy: client addresses come from X-Forwarded-For (default false)"],
  ["SMTP_URL", "smtp://user:pass@host:587 or smtps://... to send email (invites, replies to customers who left, agent alerts); unset: no email is sent"],
  ["MAIL_FROM", "sender of those emails, like \"SupportDesk <support@example.com>\" (default no-reply at PUBLIC_URL's host)"],
  ["INBOUND_EMAIL_DOMAIN", "domain whose mail reaches SupportDesk, like reply.example.com: emails get a reply-to address there; unset: replies by email are off"],
  ["SMTP_INBOUND_PORT", "port for SupportDesk's own SMTP listener that receives those replies (like 2525); unset: no listener"],
  ["INBOUND_EMAIL_SECRET", `bearer token (at least ${MIN_SESSION_SECRET_LENGTH} characters) for POST /api/v1/inbound-email, where a mail service forwards raw replies; unset: that route is off`],
  ["REPLY_EMAIL_DELAY_SECONDS", "for tests and demos: reply emails wait this many seconds instead of each inbox's delay"],
  ["TIME_ZONE", "IANA time zone whose days analytics counts in, like Europe/Berlin (default UTC)"],
  // "Per IP" is per IPv4 address or per IPv6 /64 network.
  ...Object.values(LIMIT_VARIABLES).map(({ env, help, fallback }): [string, string] => [env, `${help} (default ${fallback})`]),
];
