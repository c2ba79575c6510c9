import Redis from "ioredis";
import { errorMessage, type Logger } from "../log/logger.ts";
import { LocalSockets, type Presence } from "./presence.ts";
import { reportRedisErrors } from "./redis.ts";

export interface RedisPresenceOptions {
  /** Prefixes this instance's members; no ":" (it separates instance from agent). Random unless given. */
  instanceId?: string;
  /** The sorted set all instances share; tests pass their own to stay isolated. */
  key?: string;
  /** How long an instance's agents stay online without a refresh: the most a crash can leave behind. */
  ttlMs?: number;
  /** How often the agents connected here are confirmed; keep it well under ttlMs. */
  refreshMs?: number;
}

/**
 * A sorted set of `${instanceId}:${agentId}` scored by expiry time. Each instance adds and removes
 * its own members at once and re-adds them every refreshMs, so the agents of a crashed instance
 * drop out within ttlMs without anyone cleaning up after it.
 */
class RedisPresence implements Presence {
  private readonly sockets = new LocalSockets();
  private readonly client: Redis;
  private readonly refreshTimer: ReturnType<typeof setInterval>;
  private readingFailing = false;
  private closing: Promise<void> | null = null;

  constructor(
    url: string,
    private readonly log: Logger,
    private readonly instanceId: string,
    private readonly key: string,
    private readonly ttlMs: number,
    refreshMs: number,
  ) {
    this.client = new Redis(url, {
      // Fail at once while disconnected: a page asking who is online must not wait for Redis.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 2000,
      connectionName: `supportdesk:presence:${instanceId}`,
    });
    reportRedisErrors(this.client, log, "presence");
    // After an outage (or a Redis restart that lost the set) our agents are back at once.
    this.client.on("ready", this.refresh);
    this.refreshTimer = setInterval(this.refresh, refreshMs);
    this.refreshTimer.unref();
  }

  connected(agentId: string): boolean {
    const first = this.sockets.add(agentId);
    if (first && !this.closing) this.write(this.client.zadd(this.key, Date.now() + this.ttlMs, this.member(agentId)));
    return first;
  }

  disconnected(agentId: string): boolean {
    const last = this.sockets.remove(agentId);
    if (last && !this.closing) this.write(this.client.zrem(this.key, this.member(agentId)));
    return last;
  }

  async onlineAgentIds(): Promise<Set<string>> {
    // Our own agents are online whatever Redis says (a ZADD may have failed during an outage).
    const online = new Set(this.sockets.agentIds());
    const members = await this.read(() => this.client.zrangebyscore(this.key, Date.now(), "+inf"), []);
    for (const member of members) {
      const separator = member.indexOf(":");
      if (separator > 0) online.add(member.slice(separator + 1));
    }
    return online;
  }

  async anyAgentOnline(): Promise<boolean> {
    if (this.sockets.agentIds().length > 0) return true;
    return (await this.read(() => this.client.zcount(this.key, Date.now(), "+inf"), 0)) > 0;
  }

  /** A read of the shared set; during an outage, `fallback` (this instance's agents only). */
  private async read<T>(command: () => Promise<T>, fallback: T): Promise<T> {
    try {
      const result = await command();
      if (this.readingFailing) this.log.info("presence readable again");
      this.readingFailing = false;
      return result;
    } catch (err) {
      if (!this.readingFailing) {
        this.log.warn("presence unavailable; showing this instance's agents only", { error: errorMessage(err) });
      }
      this.readingFailing = true;
      return fallback;
    }
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    clearInterval(this.refreshTimer);
    const members = this.sockets.agentIds().map((agentId) => this.member(agentId));
    try {
      // Leave at once rather than linger for ttlMs as if we had crashed.
      if (members.length > 0 && this.client.status === "ready") await this.client.zrem(this.key, ...members);
    } catch (err) {
      this.log.warn("presence: could not remove this instance's agents; they expire on their own", {
        error: errorMessage(err),
      });
    }
    this.client.disconnect();
  }

  private member(agentId: string): string {
    return `${this.instanceId}:${agentId}`;
  }

  private readonly refresh = () => {
    if (this.closing || this.client.status !== "ready") return;
    const now = Date.now();
    const expiresAt = now + this.ttlMs;
    const scoresAndMembers = this.sockets.agentIds().flatMap((agentId) => [expiresAt, this.member(agentId)]);
    if (scoresAndMembers.length > 0) this.write(this.client.zadd(this.key, ...scoresAndMembers));
    // Expired members are already invisible to readers; removing them only keeps the set small.
    this.write(this.client.zremrangebyscore(this.key, "-inf", now));
  };

  /** Writes are fire-and-forget: the next refresh repairs a failed one. */
  private write(command: Promise<unknown>): void {
    command.catch((err: unknown) => this.log.debug("presence write failed", { error: errorMessage(err) }));
  }
}

export function redisPresence(url: string, log: Logger, options: RedisPresenceOptions = {}): Presence {
  const instanceId = options.instanceId ?? crypto.randomUUID();
  // It goes into member names and a Redis client name, which allows printable ASCII only.
  if (!/^[!-~]+$/.test(instanceId) || instanceId.includes(":")) {
    throw new Error("presence instanceId must be printable ASCII without spaces or ':'");
  }
  return new RedisPresence(
    url,
    log,
    instanceId,
    options.key ?? "supportdesk:presence",
    options.ttlMs ?? 30_000,
    options.refreshMs ?? 10_000,
  );
}
