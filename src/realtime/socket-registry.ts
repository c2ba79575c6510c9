/** What the registry needs of a socket; Bun's ServerWebSocket has it. */
export interface ClosableSocket {
  close(code?: number, reason?: string): void;
}

/** Close code sent to an agent whose access or session ended: 1008 "policy violation". */
export const ACCESS_ENDED_CLOSE_CODE = 1008;

/** Who is behind an inbox socket: the agent, and the session it was opened with. */
export interface SocketOwner {
  agentId: string;
  sessionId: string;
}

/**
 * Every open WebSocket of this process, so that shutdown can say goodbye (1001 "going away")
 * instead of letting clients find out from a dead TCP connection, and so that an agent whose
 * access or session ends loses their open inbox sockets at once (closeAgent, closeSessions).
 */
export class SocketRegistry {
  private readonly open = new Map<ClosableSocket, SocketOwner | null>();

  /** `owner`: the signed-in session behind the socket (an inbox socket); absent for a widget socket. */
  add(socket: ClosableSocket, owner?: SocketOwner | null): void {
    this.open.set(socket, owner ?? null);
  }

  delete(socket: ClosableSocket): void {
    this.open.delete(socket);
  }

  get size(): number {
    return this.open.size;
  }

  /** Open sockets by kind: an inbox socket has an owner, a widget socket none (a scrape reads it). */
  countByKind(): { inbox: number; widget: number } {
    let inbox = 0;
    for (const owner of this.open.values()) if (owner !== null) inbox++;
    return { inbox, widget: this.open.size - inbox };
  }

  /** Closes every socket of one agent on this instance; returns how many. */
  closeAgent(agentId: string, code: number, reason: string): number {
    return this.closeWhere((owner) => owner.agentId === agentId, code, reason);
  }

  /** Closes every socket opened with one of these sessions on this instance; returns how many. */
  closeSessions(sessionIds: readonly string[], code: number, reason: string): number {
    const ended = new Set(sessionIds);
    return this.closeWhere((owner) => ended.has(owner.sessionId), code, reason);
  }

  closeAll(code: number, reason: string): void {
    for (const socket of this.open.keys()) closeQuietly(socket, code, reason);
    this.open.clear();
  }

  private closeWhere(matches: (owner: SocketOwner) => boolean, code: number, reason: string): number {
    const theirs = [...this.open].filter(([, owner]) => owner !== null && matches(owner)).map(([socket]) => socket);
    for (const socket of theirs) {
      this.open.delete(socket);
      closeQuietly(socket, code, reason);
    }
    return theirs.length;
  }
}

function closeQuietly(socket: ClosableSocket, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // Already closing: nothing to say to it.
  }
}
