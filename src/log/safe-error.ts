// What of an error may reach a log line. A failed query's error carries the statement's parameters
// (message bodies, emails, tokens) and PostgreSQL's message may quote a value, so for database
// errors only the statement (its text has placeholders, never values), the driver's code and
// message with whatever it quotes taken out, and the names of the constraint, table and column are
// kept. The code and message say why: a refused or closed connection (ECONNREFUSED,
// CONNECTION_CLOSED), the server shutting down (57P01), a statement timeout (57014).
import { SQLSTATE } from "../db/rows.ts";

const MAX_STATEMENT = 200;
const MAX_MESSAGE = 160;

/** The fields drizzle's DrizzleQueryError and both drivers' errors carry. */
interface QueryErrorLike {
  query: string;
  params?: unknown[];
  cause?: unknown;
}

function isQueryError(err: unknown): err is QueryErrorLike {
  return typeof err === "object" && err !== null && typeof (err as { query?: unknown }).query === "string" && "params" in err;
}

/**
 * A driver's message without what it quotes: PostgreSQL puts the offending value in quotes
 * (`invalid input syntax for type integer: "secret"` is logged as `…: …`); the names it quotes are logged apart.
 */
function quotedOut(message: string): string {
  const out = message
    .replace(/"[^"]*"?/g, "…")
    .replace(/'[^']*'?/g, "…")
    .replace(/\b0x[0-9a-f]+/gi, "0x…")
    .replace(/\s+/g, " ")
    .trim();
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}…` : out;
}

/** The code, message and object names of a driver error (postgres.js and PGlite name them differently). */
function databaseDetails(cause: unknown): string[] {
  if (typeof cause !== "object" || cause === null) return [];
  const c = cause as Record<string, unknown>;
  const parts: string[] = [];
  const field = (label: string, ...keys: string[]) => {
    const value = keys.map((k) => c[k]).find((v) => typeof v === "string" && v);
    if (value) parts.push(`${label}=${value as string}`);
  };
  // A SQLSTATE from the server, or the driver's or the system's own (ECONNREFUSED, CONNECT_TIMEOUT).
  if (typeof c.code === "string" && c.code) parts.push(`${SQLSTATE.test(c.code) ? "sqlstate" : "code"}=${c.code}`);
  if (typeof c.message === "string" && c.message) parts.push(`message="${quotedOut(c.message)}"`);
  field("constraint", "constraint_name", "constraint");
  field("table", "table_name", "table");
  field("column", "column_name", "column");
  return parts;
}

/** One line about `err` that is safe to log: no query parameter, no value quoted by the database. */
export function safeErrorMessage(err: unknown): string {
  if (isQueryError(err)) {
    const statement = err.query.replace(/\s+/g, " ").trim().slice(0, MAX_STATEMENT);
    return ["query failed", ...databaseDetails(err.cause), `statement="${statement}"`].join(" ");
  }
  if (typeof err === "object" && err !== null && "code" in err && typeof (err as { code: unknown }).code === "string" && SQLSTATE.test((err as { code: string }).code)) {
    // A driver error without drizzle's wrapper: its message may quote a value.
    return ["database error", ...databaseDetails(err)].join(" ");
  }
  return err instanceof Error ? err.message : String(err);
}
