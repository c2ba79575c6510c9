// Conversation viewers in Redis: a hash per conversation, one field per socket
// (`${instance}:${socket}`), each with its expiry. Each instance re-writes its own fields every
// refreshMs, so the viewers of a crashed instance drop out within ttlMs (as presence does).
import Redis from "ioredis";
import { errorMessage, type Logger } from "../log/logger.ts";
import { reportRedisErrors } from "../realtime/redis.ts";
import { byAgent, type ConversationViewers, type Viewer } from "./viewers.ts";

type Stored = Viewer & { exp: number };

export function redisViewers(url: string, log: Logger, options: { ttlMs?: number; refreshMs?: number; prefix?: string } = {}): ConversationViewers {
  const ttlMs = options.ttlMs ?? 30_000;
  const prefix = options.prefix ?? "supportdesk:viewers:";
  const instance = crypto.randomUUID();
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000, connectionName: `supportdesk:viewers:${instance}` });
  reportRedisErrors(client, log, "viewers");
  /** This instance's entries, re-written each refresh. */
  const own = new Map<string, { conversationId: string; viewer: Viewer }>();
  const field = (socket: string) => `${instance}:${socket}`;
  const write = (conversationId: string, socket: string, viewer: Viewer) =>
    client.multi().hset(prefix + conversationId, field(socket), JSON.stringify({ ...viewer, exp: Date.now() + ttlMs })).pexpire(prefix + conversationId, 2 * ttlMs).exec();
  const refresh = setInterval(() => {
    if (client.status !== "ready") return;
    for (const [socket, { conversationId, viewer }] of own) write(conversationId, socket, viewer).catch(() => {});
  }, options.refreshMs ?? 10_000);
  refresh.unref();

  return {
    async set(conversationId, socket, viewer) {
      const key = prefix + conversationId;
      try {
        if (viewer) {
          own.set(socket, { conversationId, viewer });
          await write(conversationId, socket, viewer);
        } else {
          own.delete(socket);
          await client.hdel(key, field(socket));
        }
        const now = Date.now();
        const all = Object.values(await client.hgetall(key)).map((raw) => JSON.parse(raw) as Stored);
        return byAgent(all.filter((v) => v.exp > now).map(({ agentId, name, typing }) => ({ agentId, name, typing })));
      } catch (err) {
        // Redis away: this instance's viewers only, until it is back.
        log.debug("viewers unavailable", { error: errorMessage(err) });
        return byAgent([...own.values()].filter((o) => o.conversationId === conversationId).map((o) => o.viewer));
      }
    },
    async close() {
      clearInterval(refresh);
      const pending = [...own].map(([socket, o]) => client.hdel(prefix + o.conversationId, field(socket)).catch(() => {}));
      if (client.status === "ready") await Promise.all(pending);
      client.disconnect();
    },
  };
}
