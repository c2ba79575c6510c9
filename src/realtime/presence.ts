// Which agents are online. In this process without REDIS_URL; in Redis with it (redis-presence.ts,
// loaded only then: ioredis is a few MiB of a start's memory that the embedded mode does not use).
export interface Presence {
  /** An agent's socket opened on this instance; true when it is their first here. */
  connected(agentId: string): boolean;
  /** One of that agent's sockets on this instance closed; true when it was their last here. */
  disconnected(agentId: string): boolean;
  /** Agents with at least one open socket on any live instance. */
  onlineAgentIds(): Promise<Set<string>>;
  /** Whether anyone is online: the widget's "online" / "away", asked per visitor. */
  anyAgentOnline(): Promise<boolean>;
  close(): Promise<void>;
}

/** Open sockets per agent on this instance: an agent with two tabs stays online until both close. */
export class LocalSockets {
  private readonly counts = new Map<string, number>();

  /** True when this is the agent's first socket here. */
  add(agentId: string): boolean {
    const count = this.counts.get(agentId) ?? 0;
    this.counts.set(agentId, count + 1);
    return count === 0;
  }

  /** True when this was the agent's last socket here. A close without an open is ignored. */
  remove(agentId: string): boolean {
    const count = this.counts.get(agentId);
    if (count === undefined) return false;
    if (count > 1) {
      this.counts.set(agentId, count - 1);
      return false;
    }
    this.counts.delete(agentId);
    return true;
  }

  agentIds(): string[] {
    return [...this.counts.keys()];
  }
}

export function inProcessPresence(): Presence {
  const sockets = new LocalSockets();
  return {
    connected: (agentId) => sockets.add(agentId),
    disconnected: (agentId) => sockets.remove(agentId),
    onlineAgentIds: async () => new Set(sockets.agentIds()),
    anyAgentOnline: async () => sockets.agentIds().length > 0,
    close: async () => {},
  };
}
