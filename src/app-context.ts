import { loginThrottleIn, loginThrottlePolicy, type LoginThrottle } from "./auth/login-throttle.ts";
import type { Config } from "./config.ts";
import type { ConversationDeps } from "./conversations/service.ts";
import type { Database } from "./db/database.ts";
import { smtpMailer, type Mailer } from "./invites/mailer.ts";
import type { InviteDeps } from "./invites/service.ts";
import type { LimiterStore } from "./limits/rate-limits.ts";
import { socketCaps, type SocketCaps } from "./limits/socket-cap.ts";
import type { Logger } from "./log/logger.ts";
import type { RealtimeServices } from "./realtime/realtime.ts";
import type { RedisProbe } from "./realtime/redis.ts";
import type { SocketRegistry } from "./realtime/socket-registry.ts";
import type { WidgetDeps } from "./widget/service.ts";

/** The app's per-process services that are not realtime's. */
export interface AppServices {
  /** Sign-in attempts, counted in the rate limits' store (one Redis client for both). */
  loginThrottle: LoginThrottle;
  /** Open WebSockets per client address, counted on this instance (see socket-cap.ts for why). */
  socketCaps: SocketCaps;
  /** null without SMTP_URL: invite links are shown to the admin instead. */
  mailer: Mailer | null;
}

/**
 * Builds the AppServices once per process (boot.ts, or a test), counting sign-ins in `limiterStore`
 * (realtime's). Close them before the store.
 */
export function createAppServices(config: Pick<Config, "smtp" | "limits">, limiterStore: LimiterStore, log: Logger): { services: AppServices; close(): Promise<void> } {
  const loginThrottle = loginThrottleIn(limiterStore, log, loginThrottlePolicy(config.limits));
  // nodemailer's transport is made once; it opens a connection per send.
  const mailer = smtpMailer(config.smtp);
  return {
    services: { loginThrottle, socketCaps: socketCaps(config.limits), mailer },
    async close() {
      mailer?.close();
      await loginThrottle.close();
    },
  };
}

/**
 * What the routes need from the running process; built once by boot.ts (or by a test). The
 * realtime services (bus, presence, limits, sweeper...) are in-process, or in Redis with REDIS_URL.
 */
export interface AppContext extends RealtimeServices, AppServices {
  config: Config;
  database: Database;
  log: Logger;
  sessionSecret: string;
  /** null without REDIS_URL. */
  redis: RedisProbe | null;
  sockets: SocketRegistry;
}

export function conversationDeps(ctx: AppContext): ConversationDeps {
  return { db: ctx.database.db, bus: ctx.bus, rows: ctx.rows };
}

export function inviteDeps(ctx: AppContext): InviteDeps {
  return { db: ctx.database.db, log: ctx.log, mailer: ctx.mailer, publicUrl: ctx.config.publicUrl };
}

export function widgetDeps(ctx: AppContext): WidgetDeps {
  return {
    db: ctx.database.db,
    sessionSecret: ctx.sessionSecret,
    agentsOnline: () => ctx.presence.anyAgentOnline(),
  };
}
