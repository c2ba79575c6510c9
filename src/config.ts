// The only reader of process.env. Everything else receives a validated Config.
// Each parser returns a value or throws a ConfigError whose message is the one line an operator
// sees: the variable, what it expects and what it got.
import { isAbsolute, resolve } from "node:path";
export { ConfigError, MIN_SESSION_SECRET_LENGTH } from "./config-parse.ts";
export type { EmailConfig } from "./config-email.ts";
import { parseEmail, parseSmtp, type EmailConfig, type SmtpConfig } from "./config-email.ts";
import { ConfigError, fail, MIN_SESSION_SECRET_LENGTH, parseCount, parseEnum, parseUrl, read, type Env } from "./config-parse.ts";
import { LIMIT_VARIABLES, limitSettingsFrom, type LimitSettings } from "./limits/settings.ts";
import { ATTACHMENTS_HELP, parseAttachments, type AttachmentsConfig } from "./config-files.ts";
import { TRACING_HELP, tracingConfig, type TracingConfig } from "./tracing/config.ts";

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
  /** Bearer token that GET /metrics requires; null: /metrics is off (404). */
  metricsToken: string | null;
  /** A second port that serves only GET /metrics (same token); null: none. */
  metricsPort: number | null;
  /** Behind a reverse proxy: take the client's address from X-Forwarded-For (rate limits per IP). */
  trustProxy: boolean;
  /** Unset: invite links are shown to the admin to pass on instead of being emailed. */
  smtp: SmtpConfig;
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
  /** OpenTelemetry tracing from the standard OTEL_* variables (src/tracing/config.ts); null: off. */
  tracing: TracingConfig | null;
  /** Attachments: limits and where files are kept (src/config-files.ts). */
  attachments: AttachmentsConfig;
}

const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];
const LOG_FORMATS: readonly LogFormat[] = ["pretty", "json"];

export const MIN_PASSWORD_LENGTH = 8;
/** The largest value a limit variable takes: beyond it a limit is no limit, and a typo is likelier. */
export const MAX_LIMIT = 1_000_000;

function parsePort(raw: string | undefined): number {
  if (raw === undefined) return 3000;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 0 || port > 65535) fail("PORT", "an integer from 0 to 65535", raw);
  return port;
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

/** Long enough not to be guessed; never echoed. */
function parseMetricsToken(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (raw.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new ConfigError(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters long (got ${raw.length})`);
  }
  return raw;
}

export const MIN_METRICS_TOKEN_LENGTH = 16;

/**
 * A port of its own for the scraper (kept off the public load balancer). Without a token it would
 * be either open to anyone who reaches it or useless, so it refuses to start instead.
 */
function parseMetricsPort(raw: string | undefined, token: string | null, port: number): number | null {
  if (raw === undefined) return null;
  const metricsPort = parseCount("METRICS_PORT", raw, 0, 65535, 0);
  if (token === null) throw new ConfigError("METRICS_PORT needs METRICS_TOKEN: the metrics are served to a bearer of that token only");
  if (metricsPort !== 0 && metricsPort === port) fail("METRICS_PORT", "a port other than PORT", raw);
  return metricsPort;
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

  const metricsToken = parseMetricsToken(read(env, "METRICS_TOKEN"));
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
    metricsToken,
    metricsPort: parseMetricsPort(read(env, "METRICS_PORT"), metricsToken, port),
    trustProxy: parseEnum("TRUST_PROXY", read(env, "TRUST_PROXY"), ["true", "false"] as const, "false") === "true",
    smtp: parseSmtp(env, publicUrl),
    email: parseEmail(env),
    timeZone: parseTimeZone(read(env, "TIME_ZONE")),
    limits: limitSettingsFrom(({ env: name, fallback, max }) => parseCount(name, read(env, name), 1, max ?? MAX_LIMIT, fallback)),
    tracing: tracingConfig(env),
    attachments: parseAttachments(env),
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
  ["METRICS_TOKEN", "bearer token (at least 16 characters) for GET /metrics (Prometheus text format); unset: /metrics is off"],
  ["METRICS_PORT", "also serve GET /metrics (only) on this port, with the same token; needs METRICS_TOKEN (default: none)"],
  ["TRUST_PROXY", "true behind a reverse proxy: client addresses come from X-Forwarded-For (default false)"],
  ["SMTP_URL", "smtp://user:pass@host:587 or smtps://... to send email (invites, replies to customers who left, agent alerts); unset: no email is sent"],
  ["MAIL_FROM", "sender of those emails, like \"SupportDesk <support@example.com>\" (default no-reply at PUBLIC_URL's host)"],
  ["INBOUND_EMAIL_DOMAIN", "domain whose mail reaches SupportDesk, like reply.example.com: emails get a reply-to address there; unset: replies by email are off"],
  ["SMTP_INBOUND_PORT", "port for SupportDesk's own SMTP listener that receives those replies (like 2525); unset: no listener"],
  ["INBOUND_EMAIL_SECRET", `bearer token (at least ${MIN_SESSION_SECRET_LENGTH} characters) for POST /api/v1/inbound-email, where a mail service forwards raw replies; unset: that route is off`],
  ["REPLY_EMAIL_DELAY_SECONDS", "for tests and demos: reply emails wait this many seconds instead of each inbox's delay"],
  ["TIME_ZONE", "IANA time zone whose days analytics counts in, like Europe/Berlin (default UTC)"],
  ...ATTACHMENTS_HELP,
  ...TRACING_HELP,
  // "Per IP" is per IPv4 address or per IPv6 /64 network.
  ...Object.values(LIMIT_VARIABLES).map(({ env, help, fallback }): [string, string] => [env, `${help} (default ${fallback})`]),
];
