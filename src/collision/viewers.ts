// Who has a conversation open, and whether they are typing a reply in it (issue 17's collision
// guard): per conversation, one entry per agent socket viewing it. In this process without
// REDIS_URL; in Redis with it (redis-viewers.ts), so that every instance sees every viewer.

/** One socket's agent on one conversation. */
export interface Viewer {
  agentId: string;
  name: string;
  typing: boolean;
}

export interface ConversationViewers {
  /** Sets what socket `socket` is on `conversationId` (null: it left); resolves with everyone viewing it now. */
  set(conversationId: string, socket: string, viewer: Viewer | null): Promise<Viewer[]>;
  close(): Promise<void>;
}

/** Agents as the header names them: one entry per agent (two tabs are one viewer), typing if any tab types. */
export function byAgent(viewers: Iterable<Viewer>): Viewer[] {
  const agents = new Map<string, Viewer>();
  for (const v of viewers) {
    const seen = agents.get(v.agentId);
    agents.set(v.agentId, seen ? { ...seen, typing: seen.typing || v.typing } : v);
  }
  return [...agents.values()].sort((a, b) => a.name.localeCompare(b.name) || a.agentId.localeCompare(b.agentId));
}

export function inProcessViewers(): ConversationViewers {
  const byConversation = new Map<string, Map<string, Viewer>>();
  return {
    async set(conversationId, socket, viewer) {
      let sockets = byConversation.get(conversationId);
      if (viewer) {
        if (!sockets) byConversation.set(conversationId, (sockets = new Map()));
        sockets.set(socket, viewer);
      } else if (sockets) {
        sockets.delete(socket);
        if (!sockets.size) byConversation.delete(conversationId);
      }
      return byAgent(sockets?.values() ?? []);
    },
    close: async () => {},
  };
}
