// What a failed try leaves behind: when the next one comes, and the words an admin reads about it.
import { safeErrorMessage } from "../log/safe-error.ts";

export interface Backoff {
  /** The wait after the first failure; each further failure doubles it. */
  baseMs: number;
  /** The longest wait between two tries. */
  capMs: number;
}

/** 30 s, 1 min, 2 min, ... up to an hour: a mail server that is down for a while is waited out. */
export const DEFAULT_BACKOFF: Backoff = { baseMs: 30_000, capMs: 60 * 60_000 };

/** The wait before the try after `attempts` failed ones (exponential, capped; no jitter, so tests can predict it). */
export function backoffMs(attempts: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  return Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * A failure whose message a handler wrote for admins ("the mail server refused the sender").
 * It is the only error whose message reaches the jobs table: any other message may quote the
 * payload (an address, a body) or a secret.
 */
export class JobFailure extends Error {
  override name = "JobFailure";
  /** No later try can succeed (a mail server's 5xx refusal, a malformed payload): failed at once, not retried. */
  readonly permanent: boolean;
  constructor(message: string, options: { permanent?: boolean } = {}) {
    super(message);
    this.permanent = options.permanent ?? false;
  }
}

const MAX_ERROR = 300;
const CODE = /^[A-Za-z0-9_.-]{1,40}$/;

/** The last_error of a failed try: a JobFailure's message, a database error's statement and SQLSTATE, or an error's class and code. */
export function jobErrorText(err: unknown): string {
  if (err instanceof JobFailure) return err.message.slice(0, MAX_ERROR);
  const safe = safeErrorMessage(err);
  if (safe.startsWith("query failed") || safe.startsWith("database error")) return safe.slice(0, MAX_ERROR);
  if (!(err instanceof Error)) return "a value that is not an Error was thrown";
  const fields = err as unknown as Record<string, unknown>;
  const codes = ["code", "responseCode"].map((k) => fields[k]).filter((v) => (typeof v === "string" && CODE.test(v)) || typeof v === "number");
  return codes.length ? `${err.name} (${codes.join(", ")})` : err.name;
}
