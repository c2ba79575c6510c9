// Rate limits and sign-in throttles with stores of their own, for tests: in memory, or in Redis
// through a client that closing them closes (several of these act as several instances).
import { loginThrottleIn, type LoginThrottle, type LoginThrottlePolicy } from "../auth/login-throttle.ts";
import { memoryLimiterStore } from "../limits/memory-store.ts";
import { DEFAULT_RATE_LIMITS, type RateLimitPolicy } from "../limits/policy.ts";
import { rateLimitsIn, type RateLimits } from "../limits/rate-limits.ts";
import { redisLimiterStore } from "../limits/redis-store.ts";
import { silentLogger, type Logger } from "../log/logger.ts";

/** Per-instance limits, as a single instance without Redis has. */
export function memoryRateLimits(policy: RateLimitPolicy = DEFAULT_RATE_LIMITS): RateLimits {
  // Counting in memory cannot fail for lack of infrastructure; an error here is a bug, so it is thrown.
  return rateLimitsIn(memoryLimiterStore(), silentLogger, policy);
}

/** Limits in Redis with a client of their own, which closing them closes (several of these act as several instances). */
export function redisRateLimits(
  url: string,
  log: Logger,
  policy: RateLimitPolicy = DEFAULT_RATE_LIMITS,
  options: { keyPrefix?: string } = {},
): RateLimits {
  const store = redisLimiterStore(url, log);
  const limits = rateLimitsIn(store, log, policy, options);
  return {
    take: limits.take,
    async close() {
      await limits.close();
      await store.close();
    },
  };
}

/** A throttle counting in this process alone, with a store of its own. */
export function memoryLoginThrottle(log: Logger, policy?: LoginThrottlePolicy): LoginThrottle {
  return loginThrottleIn(memoryLimiterStore(), log, policy);
}

/** A throttle counting in Redis through a client of its own, which closing it closes. */
export function redisLoginThrottle(url: string, log: Logger, policy?: LoginThrottlePolicy): LoginThrottle {
  const store = redisLimiterStore(url, log);
  return { ...loginThrottleIn(store, log, policy), close: () => store.close() };
}
