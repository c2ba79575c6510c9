// Rate limits for the public widget: each limit of the policy (policy.ts) counted per contact and
// per IP (ARCHITECTURE.md §6 "Limits"). With Redis the budgets are shared by every app instance;
// without it, or while Redis is down, each instance counts alone (redis-store.ts).
import { ipKey } from "../http/ip-key.ts";
import type { Logger } from "../log/logger.ts";
import { storeErrorReporter, takeOne, type Limiter, type LimiterStore } from "./limiter-store.ts";
import { headroomLimiter } from "./headroom.ts";
import { memoryLimiterStore } from "./memory-store.ts";
import { checkPolicy, DEFAULT_RATE_LIMITS, LIMIT_NAMES, type LimitName, type LimitWindow, type RateLimitPolicy } from "./policy.ts";

// What callers of the limits need, from one place: the policy and the in-process store (the Redis
// one, redis-store.ts, is imported only with REDIS_URL: see realtime/redis-realtime.ts).
export { DEFAULT_RATE_LIMITS, rateLimitPolicy, type LimitName, type LimitWindow, type RateLimitPolicy } from "./policy.ts";
export { memoryLimiterStore, type LimiterStore };

export type LimitVerdict = { ok: true } | { ok: false; retryAfter: number /* whole seconds, >= 1 */ };

export interface RateLimits {
  /**
   * Takes one point from the contact's and the IP's bucket of that limit (either key may be null =
   * skip). The IP is the client's address as it came; it is counted under ipKey (IPv6 by /64).
   */
  take(name: LimitName, keys: { contact?: string | null; ip?: string | null }): Promise<LimitVerdict>;
  close(): Promise<void>;
}

/** Per limit, the contact's limiter (null: not counted per contact) and the IP's. */
type Buckets = Record<LimitName, { contact: Limiter | null; ip: Limiter }>;

function buildBuckets(policy: RateLimitPolicy, store: LimiterStore, keyPrefix: string): Buckets {
  checkPolicy(policy);
  const buckets = {} as Buckets;
  for (const name of LIMIT_NAMES) {
    const { perContact, perIp } = policy[name];
    // Shared buckets answer from what Redis last said while far from empty (headroom.ts).
    const shared = (limiter: Limiter, window: LimitWindow) => (store.kind === "redis" ? headroomLimiter(limiter, window) : limiter);
    buckets[name] = {
      contact: perContact && shared(store.limiter(`${keyPrefix}:${name}:contact`, perContact), perContact),
      ip: shared(store.limiter(`${keyPrefix}:${name}:ip`, perIp), perIp),
    };
  }
  return buckets;
}

function limitsOver(buckets: Buckets, onStoreError: (err: unknown) => void, onRefused: (name: LimitName) => void): RateLimits["take"] {
  return async (name, keys) => {
    const attempts: { limiter: Limiter; key: string }[] = [];
    const { contact, ip } = buckets[name];
    if (keys.contact != null && contact) attempts.push({ limiter: contact, key: keys.contact });
    if (keys.ip != null) attempts.push({ limiter: ip, key: ipKey(keys.ip) });
    // Both buckets at once: one round trip to Redis instead of two on every request.
    const outcomes = await Promise.all(attempts.map((a) => takeOne(a.limiter, a.key, onStoreError)));

    let longestWaitMs = -1;
    for (const outcome of outcomes) {
      if (outcome.kind === "refused") longestWaitMs = Math.max(longestWaitMs, outcome.msBeforeNext);
    }
    if (longestWaitMs < 0) return { ok: true };
    onRefused(name);

    // A refused request gives back the point it took from the other bucket: buckets count only work
    // that was accepted. Otherwise one visitor hammering past their own limit would also drain their
    // IP's bucket and lock out everyone else behind the same office or carrier NAT, and a busy IP
    // would eat the budgets of its visitors for messages that were never sent. Between the take and
    // the refund a concurrent request may see one point fewer, which only errs on the strict side; if
    // the window ends in between, the refund becomes one spare point in the next window.
    await Promise.all(
      attempts.map(async (attempt, i) => {
        if (outcomes[i]?.kind !== "taken") return;
        try {
          await attempt.limiter.reward(attempt.key);
        } catch (err) {
          onStoreError(err);
        }
      }),
    );
    // Retry-After is whole seconds; never 0, which clients would read as "retry at once".
    return { ok: false, retryAfter: Math.max(1, Math.ceil(longestWaitMs / 1000)) };
  };
}

/** Rate limits counted in `store`; closing them leaves the store to its owner. */
export function rateLimitsIn(
  store: LimiterStore,
  log: Logger,
  policy: RateLimitPolicy = DEFAULT_RATE_LIMITS,
  options: { keyPrefix?: string; onRefused?: (name: LimitName) => void } = {},
): RateLimits {
  const buckets = buildBuckets(policy, store, options.keyPrefix ?? "supportdesk:rl");
  const onStoreError =
    store.kind === "memory"
      ? (err: unknown) => {
          throw err;
        }
      : // Only reached if the insurance limiter itself fails. The request goes through uncounted
        // rather than failing: a limiter bug must not take the widget down.
        storeErrorReporter(log, "rate limits: counting failed, request not limited");
  const take = limitsOver(buckets, onStoreError, options.onRefused ?? (() => {}));
  const ready = store.ready;
  return {
    take: ready
      ? async (name, keys) => {
          await ready;
          return take(name, keys);
        }
      : take,
    close: async () => {},
  };
}
