// Every limit an operator can set: its environment variable, its default and what it counts.
// src/config.ts reads and validates them (whole numbers from 1 to 1,000,000); CONFIG_HELP and the
// README's configuration table list them. The window is in each name; policy.ts, the socket caps and
// the sign-in throttle turn the numbers into budgets.
//
// "Per IP" means per IPv4 address or per IPv6 /64 network (src/http/ip-key.ts). Offices, schools
// and mobile carriers put many people behind one address: the per-IP budgets are several visitors'
// worth (about five times the per-contact one), and a site with such an audience raises them.

export interface LimitVariable {
  /** The environment variable. */
  env: string;
  /** Used when the variable is unset; what SupportDesk did before the variable existed, if it limited. */
  fallback: number;
  /** One line for `supportdesk --help`; " (default N)" is added. */
  help: string;
  /** The largest value it takes, when not config.ts's MAX_LIMIT (a size in bytes goes past a million). */
  max?: number;
}

export const LIMIT_VARIABLES = {
  // Chatwoot's widget allows 60 messages a minute per visitor; OWASP suggests 100.
  messagesPerContactPerMinute: { env: "MESSAGES_PER_CONTACT_PER_MINUTE", fallback: 60, help: "widget messages one visitor may send per minute" },
  messagesPerIpPerMinute: { env: "MESSAGES_PER_IP_PER_MINUTE", fallback: 300, help: "widget messages one IP address may send per minute" },
  // Chatwoot: 6 conversations per visitor per 12 hours.
  conversationsPerContactPer12Hours: { env: "CONVERSATIONS_PER_CONTACT_PER_12_HOURS", fallback: 6, help: "new widget conversations one visitor may start in 12 hours" },
  conversationsPerIpPerHour: { env: "CONVERSATIONS_PER_IP_PER_HOUR", fallback: 30, help: "new widget conversations one IP address may start per hour" },
  sessionsPerIpPerMinute: { env: "SESSIONS_PER_IP_PER_MINUTE", fallback: 60, help: "widget sessions one IP address may start per minute" },
  // The widget's HTTP fallback polls every 3 s (20 a minute per open tab) and resumes after each reconnect.
  historyFetchesPerContactPerMinute: { env: "HISTORY_FETCHES_PER_CONTACT_PER_MINUTE", fallback: 120, help: "message replays (socket resume, GET messages) per visitor per minute" },
  historyFetchesPerIpPerMinute: { env: "HISTORY_FETCHES_PER_IP_PER_MINUTE", fallback: 600, help: "message replays (socket resume, GET messages) per IP address per minute" },
  // The widget sends one read receipt per reply it shows.
  readFramesPerContactPerMinute: { env: "READ_FRAMES_PER_CONTACT_PER_MINUTE", fallback: 60, help: "read receipts one visitor may send per minute; the rest are dropped" },
  readFramesPerIpPerMinute: { env: "READ_FRAMES_PER_IP_PER_MINUTE", fallback: 300, help: "read receipts one IP address may send per minute; the rest are dropped" },
  // 4 a second per socket was the socket's own window before; the widget sends one every 2 s at most.
  typingFramesPerContactPerSecond: { env: "TYPING_FRAMES_PER_CONTACT_PER_SECOND", fallback: 4, help: "typing signals one visitor may send per second; the rest are dropped" },
  typingFramesPerIpPerSecond: { env: "TYPING_FRAMES_PER_IP_PER_SECOND", fallback: 20, help: "typing signals one IP address may send per second; the rest are dropped" },
  handoffsPerContactPerMinute: { env: "HANDOFFS_PER_CONTACT_PER_MINUTE", fallback: 10, help: "\"talk to a human\" and away-email requests per visitor per minute" },
  handoffsPerIpPerMinute: { env: "HANDOFFS_PER_IP_PER_MINUTE", fallback: 50, help: "\"talk to a human\" and away-email requests per IP address per minute" },
  // Each one emails a conversation to an address the visitor may have typed: few, so it relays no spam.
  transcriptsPerContactPerHour: { env: "TRANSCRIPTS_PER_CONTACT_PER_HOUR", fallback: 5, help: "\"email me this conversation\" requests per visitor per hour" },
  transcriptsPerIpPerHour: { env: "TRANSCRIPTS_PER_IP_PER_HOUR", fallback: 30, help: "\"email me this conversation\" requests per IP address per hour" },
  openWidgetSocketsPerIp: { env: "OPEN_WIDGET_SOCKETS_PER_IP", fallback: 100, help: "widget WebSockets open at once from one IP address, per instance" },
  openAgentSocketsPerIp: { env: "OPEN_AGENT_SOCKETS_PER_IP", fallback: 100, help: "agent inbox WebSockets open at once from one IP address, per instance" },
  // OWASP: lock an account out for a while after 5 to 10 failed attempts.
  loginAttemptsPerEmailAndIpPer15Minutes: { env: "LOGIN_ATTEMPTS_PER_EMAIL_AND_IP_PER_15_MINUTES", fallback: 5, help: "sign-in attempts at one account from one IP address per 15 minutes" },
  loginAttemptsPerIpPer15Minutes: { env: "LOGIN_ATTEMPTS_PER_IP_PER_15_MINUTES", fallback: 50, help: "sign-in attempts from one IP address, at any accounts, per 15 minutes" },
  // A reply by email is text; 10 MiB leaves room for a quoted thread and a photo or two, which are dropped.
  inboundEmailMaxBytes: { env: "INBOUND_EMAIL_MAX_BYTES", fallback: 10 * 1024 * 1024, max: 100 * 1024 * 1024, help: "largest reply email, in bytes of raw MIME, that the SMTP listener and the inbound webhook accept" },
} as const satisfies Record<string, LimitVariable>;

export type LimitSettingName = keyof typeof LIMIT_VARIABLES;
export type LimitSettings = Record<LimitSettingName, number>;

const names = Object.keys(LIMIT_VARIABLES) as LimitSettingName[];

/** Every limit at its default. */
export const DEFAULT_LIMITS: LimitSettings = Object.fromEntries(names.map((name) => [name, LIMIT_VARIABLES[name].fallback])) as LimitSettings;

/** The settings with each value `read` returns for its variable (config.ts validates there). */
export function limitSettingsFrom(read: (variable: LimitVariable) => number): LimitSettings {
  return Object.fromEntries(names.map((name) => [name, read(LIMIT_VARIABLES[name])])) as LimitSettings;
}
