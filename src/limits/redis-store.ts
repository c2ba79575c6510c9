// Limiters shared by every instance through one Redis client, with a per-instance fallback while
// Redis is unreachable.
import Redis from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { Logger } from "../log/logger.ts";
import { reportRedisErrors } from "../realtime/redis.ts";
import type { LimiterStore } from "./limiter-store.ts";
import type { LimitWindow } from "./policy.ts";

/**
 * RateLimiterRedis calls its insurance limiter only after a Redis command failed, so a call to it is
 * the moment the limits stop being shared between instances.
 */
class InsuranceLimiter extends RateLimiterMemory {
  readonly #onUse: () => void;

  constructor(window: LimitWindow, onUse: () => void) {
    super({ points: window.points, duration: window.seconds });
    this.#onUse = onUse;
  }

  override consume(...args: Parameters<RateLimiterMemory["consume"]>): ReturnType<RateLimiterMemory["consume"]> {
    this.#onUse();
    return super.consume(...args);
  }
}

/**
 * Limiters shared by every instance through one Redis client. While Redis is unreachable each
 * instance falls back to its own in-memory counters with the same windows (the library's
 * `insuranceLimiter`): a visitor may then get up to one budget per instance, which beats refusing
 * every request or allowing all.
 */
export function redisLimiterStore(url: string, log: Logger): LimiterStore {
  const client = new Redis(url, {
    // Fail a command at once while disconnected instead of queueing it: the insurance limiter answers
    // now, where a queue would hold every widget request until Redis came back.
    enableOfflineQueue: false,
    // A reply lost to a dropped connection is not worth resending: the insurance limiter has answered.
    maxRetriesPerRequest: 0,
    // A Redis that accepts but does not answer must not stall messages either.
    commandTimeout: 500,
    connectTimeout: 2000,
    // Every widget message runs two limiter scripts: commands issued in the same tick share one
    // write, which halves Redis's and our syscalls under load.
    enableAutoPipelining: true,
  });
  let closed = false;
  let degraded = false;
  reportRedisErrors(client, log, "rate limits");
  client.on("ready", () => {
    if (degraded) log.info("rate limits: redis is back, limits are shared again");
    degraded = false;
  });

  // Until the first connection attempt ends, requests wait for it rather than counting per instance:
  // otherwise every boot would start with a moment of per-instance limits and a misleading warning.
  // ioredis ends that attempt by `connectTimeout` at the latest; an unreachable port fails at once.
  const firstAttempt = new Promise<void>((resolve) => {
    client.once("ready", resolve);
    client.once("error", resolve);
    client.once("end", resolve);
  });

  const onInsuranceUse = () => {
    if (degraded || closed) return;
    degraded = true;
    log.warn("rate limits: redis failed, counting per instance until it is back");
  };

  return {
    kind: "redis",
    limiter: (keyPrefix, window) =>
      new RateLimiterRedis({
        storeClient: client,
        // ioredis, not node-redis; said outright because the library guesses from the class name.
        useRedisPackage: false,
        // Go to the insurance limiter without sending while the connection is down.
        rejectIfRedisNotReady: true,
        keyPrefix,
        points: window.points,
        duration: window.seconds,
        insuranceLimiter: new InsuranceLimiter(window, onInsuranceUse),
      }),
    ready: firstAttempt,
    async close() {
      if (closed) return;
      closed = true;
      client.disconnect();
    },
  };
}
