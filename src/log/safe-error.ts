// What of an error may reach a log line. A failed query's error carries the statement's parameters
// (message bodies, emails, tokens) and PostgreSQL's message may quote a value, so for database
// errors only the statement (its text has placeholders, never values), SQLSTATE and the names of
// the constraint, table and column are kept.

const MAX_STATEMENT = 200;

/** The fields drizzle's DrizzleQueryError and both drivers' errors carry. */
interface QueryErrorLike {
  query: string;
  params?: unknown[];
  cause?: unknown;
}

function isQueryError(err: unknown): err is QueryErrorLike {
  return typeof err === "object" && err !== null && typeof (err as { query?: unknown }).query === "string" && "params" in err;
}

/** The SQLSTATE and object names of a driver error (postgres.js and PGlite name them differently). */
function databaseDetails(cause: unknown): string[] {
  if (typeof cause !== "object" || cause === null) return [];
  const c = cause as Record<string, unknown>;
  const parts: string[] = [];
  const field = (label: string, ...keys: string[]) => {
    const value = keys.map((k) => c[k]).find((v) => typeof v === "string" && v);
    if (value) parts.push(`${label}=${value as string}`);
  };
  field("sqlstate", "code");
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
  if (typeof err === "object" && err !== null && "code" in err && typeof (err as { code: unknown }).code === "string" && /^[0-9A-Z]{5}$/.test((err as { code: string }).code)) {
    // A driver error without drizzle's wrapper: its message may quote a value.
    return ["database error", ...databaseDetails(err)].join(" ");
  }
  return err instanceof Error ? err.message : String(err);
}
