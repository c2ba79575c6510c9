// Where limiters count (this process, or Redis: memory-store.ts, redis-store.ts), and what every
// counter built on a store shares: the rate limits (rate-limits.ts) and the sign-in throttle.
import { RateLimiterRes, type RateLimiterMemory } from "rate-limiter-flexible";
import { errorMessage, type Logger } from "../log/logger.ts";
import type { LimitWindow } from "./policy.ts";

/** The operations of a rate-limiter-flexible limiter that the limits here use. */
export type Limiter = Pick<RateLimiterMemory, "consume" | "reward" | "delete">;

/**
 * Where limiters count: in this process, or in Redis through one client that every limiter made from
 * the store shares. Whoever made a store closes it; what was built on it does not.
 */
export interface LimiterStore {
  /** "memory": counting cannot fail for lack of infrastructure, so a store error there is a bug. */
  readonly kind: "memory" | "redis";
  /** A limiter for one window; in Redis its keys start with `keyPrefix`. */
  limiter(keyPrefix: string, window: LimitWindow): Limiter;
  /** Resolves when counting may start (Redis: once the first connection attempt has ended); null: now. */
  readonly ready: Promise<void> | null;
  close(): Promise<void>;
}

export type Outcome = { kind: "taken" } | { kind: "refused"; msBeforeNext: number } | { kind: "failed" };

/**
 * The library resolves when a point was taken and rejects with a RateLimiterRes when the bucket is
 * empty; any other rejection is a broken store, which `onStoreError` turns into "not counted".
 */
export async function takeOne(limiter: Limiter, key: string, onStoreError: (err: unknown) => void): Promise<Outcome> {
  try {
    await limiter.consume(key);
    return { kind: "taken" };
  } catch (err) {
    if (err instanceof RateLimiterRes) return { kind: "refused", msBeforeNext: err.msBeforeNext };
    onStoreError(err);
    return { kind: "failed" };
  }
}

/**
 * Logs each new kind of store error once, as `message`: operators hear about a broken store, not
 * once per request.
 */
export function storeErrorReporter(log: Logger, message: string): (err: unknown) => void {
  const errorsLogged = new Set<string>();
  return (err) => {
    const error = errorMessage(err);
    if (errorsLogged.has(error)) return;
    errorsLogged.add(error);
    log.error(message, { error });
  };
}
