import "./tracing-channel-subscribers.ts";
import Redis from "ioredis";
import type { Logger } from "../log/logger.ts";

/** The part of Redis that /ready and shutdown need; the realtime bus keeps its own connections. */
export interface RedisProbe {
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function redisProbe(url: string, log: Logger): RedisProbe {
  const client = new Redis(url, {
    // Fail a command at once while disconnected instead of queueing it: /ready must answer now.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
  });
  reportRedisErrors(client, log, "probe");
  return {
    async ping() {
      await client.ping();
    },
    async close() {
      client.disconnect();
    },
  };
}

/**
 * Reports each new kind of connection error once. Without an `error` listener ioredis prints
 * "Unhandled error event" on every reconnect attempt.
 */
export function reportRedisErrors(client: Redis, log: Logger, connection: string): void {
  let lastError = "";
  client.on("error", (err: Error) => {
    if (err.message !== lastError) log.warn("redis unavailable", { connection, error: err.message });
    lastError = err.message;
  });
  client.on("ready", () => {
    if (lastError) log.info("redis reconnected", { connection });
    lastError = "";
  });
}
