import type { Config } from "../config.ts";
import type { Db } from "../db/database.ts";
import { memoryLimiterStore, rateLimitPolicy, rateLimitsIn, redisLimiterStore, type LimiterStore, type RateLimits } from "../limits/rate-limits.ts";
import type { Logger } from "../log/logger.ts";
import { RowPublisher } from "../conversations/notify.tsx";
import { DeliverySweeper } from "../messages/delivery-sweeper.tsx";
import { inProcessBus, type Bus, type LocalServer } from "./bus.ts";
import { inProcessPresence, redisPresence, type Presence } from "./presence.ts";
import { PresenceAnnouncer } from "./presence-announcer.ts";
import { widgetFrames } from "../widget/frames.ts";
import { redisBus } from "./redis-bus.ts";

/** The parts of AppContext that realtime provides: what travels between instances, or is shared by them. */
export interface RealtimeServices {
  bus: Bus;
  presence: Presence;
  limits: RateLimits;
  sweeper: DeliverySweeper;
  rows: RowPublisher;
  presenceAnnouncer: PresenceAnnouncer;
}

export interface Realtime {
  services: RealtimeServices;
  /**
   * Where the rate limits count (Redis with REDIS_URL), for other counters of the process to share
   * (the sign-in throttle): one Redis client for all. Closed by close(), after what uses it.
   */
  limiterStore: LimiterStore;
  /** Once the server listens: local sockets start receiving, and the sweeper starts watching. */
  attach(server: LocalServer): void;
  close(): Promise<void>;
}

/**
 * Everything shared between instances lives in Redis when REDIS_URL is set (the bus, presence,
 * and the limiter store of the rate limits, which the sign-in throttle shares); without it, in
 * this process.
 */
export function createRealtime(config: Pick<Config, "redisUrl" | "limits">, db: Db, log: Logger): Realtime {
  const url = config.redisUrl;
  const bus = url ? redisBus(url, log) : inProcessBus(log);
  const presence = url ? redisPresence(url, log) : inProcessPresence();
  const limiterStore = url ? redisLimiterStore(url, log) : memoryLimiterStore();
  const limits = rateLimitsIn(limiterStore, log, rateLimitPolicy(config.limits));
  const sweeper = new DeliverySweeper({ db, bus, log });
  const presenceAnnouncer = new PresenceAnnouncer({ presence, bus, log }, widgetFrames.presence);
  return {
    services: { bus, presence, limits, sweeper, rows: new RowPublisher({ db, bus, log }), presenceAnnouncer },
    limiterStore,
    attach(server) {
      bus.attach(server);
      sweeper.start();
    },
    async close() {
      sweeper.stop();
      presenceAnnouncer.stop();
      await Promise.all([bus.close(), presence.close(), limits.close()]);
      await limiterStore.close();
    },
  };
}
