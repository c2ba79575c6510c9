/** What the registry needs of a socket; Bun's ServerWebSocket has it. */
export interface ClosableSocket {
  close(code?: number, reason?: string): void;
}

/**
 * Every open WebSocket of this process, so that shutdown can say goodbye (1001 "going away")
 * instead of letting clients find out from a dead TCP connection.
 */
export class SocketRegistry {
  private readonly open = new Set<ClosableSocket>();

  add(socket: ClosableSocket): void {
    this.open.add(socket);
  }

  delete(socket: ClosableSocket): void {
    this.open.delete(socket);
  }

  get size(): number {
    return this.open.size;
  }

  closeAll(code: number, reason: string): void {
    for (const socket of this.open) {
      try {
        socket.close(code, reason);
      } catch {
        // Already closing: nothing to say to it.
      }
    }
    this.open.clear();
  }
}
