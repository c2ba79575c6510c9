// The only place topic names are built. Clients never name a topic: sockets subscribe to what
// the server derives from the authenticated identity (ARCHITECTURE §5).
export const topics = {
  /** The customer side of one conversation. */
  conversation: (conversationId: string) => `conv:${conversationId}`,
  /** Agents viewing one conversation, private notes included. */
  conversationAgents: (conversationId: string) => `conv:${conversationId}:agents`,
  /** Every inbox page: rows that may have changed lists (a status or an assignee), new conversations waiting. */
  inbox: () => "inbox",
  /**
   * Inbox pages showing one tab (queue, mine, open, closed), whoever the agent: the rows of that
   * list that changed and stayed in it (src/conversations/list-topics.ts says which go where).
   */
  inboxTab: (tab: string) => `inbox:tab:${tab}`,
  /** One agent's inbox pages on their Mine tab: the rows of their own conversations. */
  inboxMine: (agentId: string) => `inbox:mine:${agentId}`,
  /** One agent's inbox pages on a tab that shows none of their own open conversations: that one changed (their counts). */
  inboxCounts: (agentId: string) => `inbox:counts:${agentId}`,
  /** Tickets list pages: their rows, and that the list is stale. */
  tickets: () => "tickets",
  /** The page of one ticket: its live parts (tickets/notify.tsx). */
  ticket: (ticketId: string) => `ticket:${ticketId}`,
  /**
   * Every widget socket of one visitor. Their conversation may not exist yet when they connect;
   * this is where its other tabs learn that it now does.
   */
  visitor: (contactId: string) => `visitor:${contactId}`,
  /** Every widget socket: whether any agent is online. */
  widgets: () => "widgets",
  /** One agent's own notifications, on whichever page they have open. */
  agent: (agentId: string) => `agent:${agentId}`,

  // Bus-internal: no socket is ever subscribed to these (the names starting with "!" are theirs).
  /** Control messages between instances (control.ts); each instance's listeners act on them. */
  control: () => "!control",
  /** Each Redis bus's heartbeat to itself, proof that its subscription still receives. */
  busHeartbeat: () => "!heartbeat",
} as const;
