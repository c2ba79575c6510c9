// One line per event, human-readable or JSON. Callers pass explicit fields, never whole requests
// or bodies, so passwords, tokens and message text cannot reach the log by accident.
import type { LogFormat, LogLevel } from "../config.ts";
import { activeTraceIds } from "../tracing/tracing.ts";
import { safeErrorMessage } from "./safe-error.ts";

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

type Write = (line: string) => void;

function formatPretty(level: LogLevel, msg: string, fields: LogFields): string {
  const rest = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === "string" && /\s/.test(v) ? JSON.stringify(v) : v}`)
    .join(" ");
  const time = new Date().toISOString().slice(11, 23);
  return `${time} ${level.toUpperCase().padEnd(5)} ${msg}${rest ? ` ${rest}` : ""}`;
}

function formatJson(level: LogLevel, msg: string, fields: LogFields): string {
  return JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
}

export function createLogger(
  opts: { level: LogLevel; format: LogFormat },
  write: Write = (line) => process.stdout.write(`${line}\n`),
): Logger {
  const format = opts.format === "json" ? formatJson : formatPretty;
  const at = (level: LogLevel) => (msg: string, fields: LogFields = {}) => {
    if (RANK[level] < RANK[opts.level]) return;
    // Inside a traced request, frame or job, the line names its trace (a boolean read when tracing is off).
    const trace = activeTraceIds();
    write(format(level, msg, trace ? { ...fields, ...trace } : fields));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** For tests and tools that must stay quiet. */
export const silentLogger: Logger = createLogger({ level: "error", format: "json" }, () => {});

/**
 * The message of anything thrown, for a log field: for a failed query, the statement and SQLSTATE
 * without its parameters (see safe-error.ts), so a message body or an email never reaches a log.
 */
export function errorMessage(err: unknown): string {
  return safeErrorMessage(err);
}
