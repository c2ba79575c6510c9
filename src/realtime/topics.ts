// The only place topic names are built. Clients never name a topic: sockets subscribe to what
// the server derives from the authenticated identity (ARCHITECTURE §5).
export const topics = {
  /** The customer side of one conversation. */
  conversation: (conversationId: string) => `conv:${conversationId}`,
  /** Agents viewing one conversation, private notes included. */
  conversationAgents: (conversationId: string) => `conv:${conversationId}:agents`,
  /** Every agent: list and queue updates. */
  inbox: () => "inbox",
  /** Every agent: ticket list rows and the ticket pages' live parts (tickets/notify.tsx). */
  tickets: () => "tickets",
  /**
   * Every widget socket of one visitor. Their conversation may not exist yet when they connect;
   * this is where its other tabs learn that it now does.
   */
  visitor: (contactId: string) => `visitor:${contactId}`,
  /** Every widget socket: whether any agent is online. */
  widgets: () => "widgets",
  /** One agent's own notifications. */
  agent: (agentId: string) => `agent:${agentId}`,

  // Bus-internal: no socket is ever subscribed to these (the names starting with "!" are theirs).
  /** Control messages between instances (control.ts); each instance's listeners act on them. */
  control: () => "!control",
  /** Each Redis bus's heartbeat to itself, proof that its subscription still receives. */
  busHeartbeat: () => "!heartbeat",
} as const;
