import type { Config } from "./config.ts";
import type { ConversationDeps } from "./conversations/service.ts";
import type { Database } from "./db/database.ts";
import type { InviteDeps } from "./invites/service.ts";
import type { Logger } from "./log/logger.ts";
import type { RealtimeServices } from "./realtime/realtime.ts";
import type { RedisProbe } from "./realtime/redis.ts";
import type { SocketRegistry } from "./realtime/socket-registry.ts";
import type { WidgetDeps } from "./widget/service.ts";

/** What the routes need from the running process; built once by boot.ts (or by a test). */
/** The realtime services (bus, presence, limits, sweeper...) are in-process, or in Redis with REDIS_URL. */
export interface AppContext extends RealtimeServices {
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
