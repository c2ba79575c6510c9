import { loginThrottleIn, type LoginThrottle } from "../auth/login-throttle.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/database.ts";
import { smtpMailer, type Mailer } from "../invites/mailer.ts";
import { memoryLimiterStore, rateLimitsIn, redisLimiterStore, type RateLimits } from "../limits/rate-limits.ts";
import type { Logger } from "../log/logger.ts";
import { RowPublisher } from "../conversations/notify.tsx";
import { DeliverySweeper } from "../messages/delivery-sweeper.tsx";
import { inProcessBus, type Bus, type LocalServer } from "./bus.ts";
import { inProcessPresence, redisPresence, type Presence } from "./presence.ts";
import { PresenceAnnouncer } from "./presence-announcer.ts";
import { widgetFrames } from "../widget/frames.ts";
import { redisBus } from "./redis-bus.ts";

/**
 * The parts of AppContext that realtime provides, and the other per-process services that boot.ts
 * and the tests build and close with them.
 */
export interface RealtimeServices {
  bus: Bus;
  presence: Presence;
  limits: RateLimits;
  /** Sign-in attempts, counted where the rate limits are (one Redis client for both). */
  loginThrottle: LoginThrottle;
  /** null without SMTP_URL: invite links are shown to the admin instead. */
  mailer: Mailer | null;
  sweeper: DeliverySweeper;
  rows: RowPublisher;
  presenceAnnouncer: PresenceAnnouncer;
}

export interface Realtime {
  services: RealtimeServices;
  /** Once the server listens: local sockets start receiving, and the sweeper starts watching. */
  attach(server: LocalServer): void;
  close(): Promise<void>;
}

/**
 * Everything shared between instances lives in Redis when REDIS_URL is set (the bus, presence,
 * rate-limit and sign-in budgets); without it, in this process.
 */
export function createRealtime(config: Pick<Config, "redisUrl" | "smtp">, db: Db, log: Logger): Realtime {
  const url = config.redisUrl;
  const bus = url ? redisBus(url, log) : inProcessBus(log);
  const presence = url ? redisPresence(url, log) : inProcessPresence();
  const limiterStore = url ? redisLimiterStore(url, log) : memoryLimiterStore();
  const limits = rateLimitsIn(limiterStore, log);
  const loginThrottle = loginThrottleIn(limiterStore, log);
  // nodemailer's transport is made once; it opens a connection per send.
  const mailer = smtpMailer(config.smtp);
  const sweeper = new DeliverySweeper({ db, bus, log });
  const presenceAnnouncer = new PresenceAnnouncer({ presence, bus, log }, widgetFrames.presence);
  return {
    services: { bus, presence, limits, loginThrottle, mailer, sweeper, rows: new RowPublisher({ db, bus, log }), presenceAnnouncer },
    attach(server) {
      bus.attach(server);
      sweeper.start();
    },
    async close() {
      sweeper.stop();
      presenceAnnouncer.stop();
      mailer?.close();
      await Promise.all([bus.close(), presence.close(), limits.close(), loginThrottle.close()]);
      await limiterStore.close();
    },
  };
}
