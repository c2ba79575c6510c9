/** Rows of a raw `db.execute`: postgres.js returns an array, PGlite an object holding one. */
/** A PostgreSQL error code (SQLSTATE), as opposed to a driver's or the system's own (ECONNREFUSED...). */
export const SQLSTATE = /^[0-9A-Z]{5}$/;

export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** PostgreSQL's "unique_violation": a racing copy of the same row got there first. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

/**
 * The database could not be asked at all (refused, closed or timed-out connection, the server
 * shutting down or starting up), as opposed to refusing this statement: trying it again alone
 * cannot help.
 */
export function isConnectionFailure(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    // Class 08 (connection exception), 57P01-57P03 (shutdown, crash, cannot connect now), or a code of the driver or the system (ECONNREFUSED, CONNECTION_CLOSED).
    return /^08|^57P0[1-3]$/.test(code) || !SQLSTATE.test(code);
  }
  return false;
}
