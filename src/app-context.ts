import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { Logger } from "./log/logger.ts";
import type { RedisProbe } from "./realtime/redis.ts";
import type { SocketRegistry } from "./realtime/socket-registry.ts";

/** What the routes need from the running process; built once by boot.ts (or by a test). */
export interface AppContext {
  config: Config;
  database: Database;
  log: Logger;
  sessionSecret: string;
  /** null without REDIS_URL. */
  redis: RedisProbe | null;
  sockets: SocketRegistry;
}
