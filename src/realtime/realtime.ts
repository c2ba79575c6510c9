import type { Config } from "../config.ts";
import { memoryLimiterStore, rateLimitPolicy, rateLimitsIn, type LimiterStore, type RateLimits } from "../limits/rate-limits.ts";
import type { Logger } from "../log/logger.ts";
import { noMetrics, type Metrics } from "../metrics/metrics.ts";
import { inProcessBus, type Bus, type LocalServer } from "./bus.ts";
import { inProcessPresence, type Presence } from "./presence.ts";
import { inProcessViewers, type ConversationViewers } from "../collision/viewers.ts";

/** The parts of AppContext that realtime provides: what travels between instances, or is shared by them. */
export interface RealtimeServices {
  bus: Bus;
  presence: Presence;
  limits: RateLimits;
  /** Who has each conversation open and is typing in it (the collision guard, src/collision). */
  viewers: ConversationViewers;
}

export interface Realtime {
  services: RealtimeServices;
  /**
   * Where the rate limits count (Redis with REDIS_URL), for other counters of the process to share
   * (the sign-in throttle): one Redis client for all. Closed by close(), after what uses it.
   */
  limiterStore: LimiterStore;
  /** Once the server listens: local sockets start receiving. */
  attach(server: LocalServer): void;
  close(): Promise<void>;
}

/**
 * Everything shared between instances lives in Redis when REDIS_URL is set (the bus, presence,
 * and the limiter store of the rate limits, which the sign-in throttle shares); without it, in
 * this process. Nothing here knows a domain: what travels is topics and bytes (see topics.ts), and
 * the pieces that know conversations and messages (the sweeper, the row publisher, the presence
 * announcer's frame) are wired to it in app-context.ts.
 */
export async function createRealtime(config: Pick<Config, "redisUrl" | "limits">, log: Logger, metrics: Metrics = noMetrics): Promise<Realtime> {
  const url = config.redisUrl;
  // Imported only with REDIS_URL (see redis-realtime.ts).
  const redis = url ? await import("./redis-realtime.ts") : null;
  const bus = url && redis ? redis.redisBus(url, log, { metrics }) : inProcessBus(log, metrics);
  const presence = url && redis ? redis.redisPresence(url, log) : inProcessPresence();
  const viewers = url && redis ? redis.redisViewers(url, log) : inProcessViewers();
  const limiterStore = url && redis ? redis.redisLimiterStore(url, log) : memoryLimiterStore();
  const limits = rateLimitsIn(limiterStore, log, rateLimitPolicy(config.limits), { onRefused: (name) => metrics.refused(name) });
  return {
    services: { bus, presence, limits, viewers },
    limiterStore,
    attach(server) {
      bus.attach(server);
    },
    async close() {
      await Promise.all([bus.close(), presence.close(), limits.close(), viewers.close()]);
      await limiterStore.close();
    },
  };
}
