/** What the registry needs of a socket; Bun's ServerWebSocket has it. */
export interface ClosableSocket {
  close(code?: number, reason?: string): void;
}

/** Close code sent to an agent whose access ended (deactivated): 1008 "policy violation". */
export const ACCESS_ENDED_CLOSE_CODE = 1008;

/**
 * Every open WebSocket of this process, so that shutdown can say goodbye (1001 "going away")
 * instead of letting clients find out from a dead TCP connection, and so that an agent whose
 * access ends loses their open inbox sockets at once (closeAgent).
 */
export class SocketRegistry {
  private readonly open = new Map<ClosableSocket, string | null>();

  /** `agentId`: the signed-in agent behind the socket (an inbox socket), for closeAgent; null for a widget socket. */
  add(socket: ClosableSocket, agentId?: string | null): void {
    this.open.set(socket, agentId ?? null);
  }

  delete(socket: ClosableSocket): void {
    this.open.delete(socket);
  }

  get size(): number {
    return this.open.size;
  }

  /** Closes every socket of one agent on this instance; returns how many. */
  closeAgent(agentId: string, code: number, reason: string): number {
    const theirs = [...this.open].filter(([, owner]) => owner === agentId).map(([socket]) => socket);
    for (const socket of theirs) {
      this.open.delete(socket);
      closeQuietly(socket, code, reason);
    }
    return theirs.length;
  }

  closeAll(code: number, reason: string): void {
    for (const socket of this.open.keys()) closeQuietly(socket, code, reason);
    this.open.clear();
  }
}

function closeQuietly(socket: ClosableSocket, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // Already closing: nothing to say to it.
  }
}
