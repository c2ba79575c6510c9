// The only place topic names are built. Clients never name a topic: sockets subscribe to what
// the server derives from the authenticated identity (ARCHITECTURE §5).
export const topics = {
  /** The customer side of one conversation. */
  conversation: (conversationId: string) => `conv:${conversationId}`,
  /** Agents viewing one conversation, private notes included. */
  conversationAgents: (conversationId: string) => `conv:${conversationId}:agents`,
  /** Every agent: list and queue updates. */
  inbox: () => "inbox",
  /** One agent's own notifications. */
  agent: (agentId: string) => `agent:${agentId}`,
} as const;
