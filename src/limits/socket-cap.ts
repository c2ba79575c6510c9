// A cap on the WebSockets one client address (IPv6: its /64, see src/http/ip-key.ts) holds open at
// once, so that a flood of idle connections cannot use up this process's file descriptors and memory.
//
// Counted per instance, in memory, on purpose: a socket lives on the one instance that accepted it,
// and what the cap protects (descriptors, buffers) is that instance's. Counts in Redis would outlive
// an instance that crashed and lock its clients' addresses out until someone cleaned them up; here a
// slot is freed by the socket's own close, and all of them with the process. Behind a load balancer
// an address may hold up to the cap on each instance, which is what each instance can afford.
import { ipKey } from "../http/ip-key.ts";

export class SocketCap {
  readonly #limit: number;
  /** Open sockets per address key; an address without sockets has no entry. */
  readonly #open = new Map<string, number>();
  /** The address key each counted socket holds a slot of. */
  readonly #holders = new Map<object, string>();

  readonly #onRefused: () => void;

  /** `onRefused`: called for each upgrade or socket turned away (the metrics count them). */
  constructor(limit: number, onRefused: () => void = () => {}) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`a socket cap needs a whole limit >= 1 (got ${limit})`);
    this.#limit = limit;
    this.#onRefused = onRefused;
  }

  /** Whether an upgrade from `ip` may go ahead: checked before the upgrade, so that a refusal is a 429. */
  hasRoom(ip: string | null): boolean {
    if (this.openFrom(ip) < this.#limit) return true;
    this.#onRefused();
    return false;
  }

  /**
   * Takes a slot for a socket that has just opened. False when its address is already at the cap:
   * upgrades that arrived together all passed hasRoom before the first of them opened, and the
   * caller closes the extra ones.
   */
  claim(socket: object, ip: string | null): boolean {
    if (this.#holders.has(socket)) return true;
    const key = keyOf(ip);
    const open = this.#open.get(key) ?? 0;
    if (open >= this.#limit) {
      this.#onRefused();
      return false;
    }
    this.#open.set(key, open + 1);
    this.#holders.set(socket, key);
    return true;
  }

  /** Frees the socket's slot; false when it held none (it was refused at claim). */
  release(socket: object): boolean {
    const key = this.#holders.get(socket);
    if (key === undefined) return false;
    this.#holders.delete(socket);
    const left = (this.#open.get(key) ?? 1) - 1;
    if (left > 0) this.#open.set(key, left);
    else this.#open.delete(key);
    return true;
  }

  /** Sockets open from `ip`'s address key. */
  openFrom(ip: string | null): number {
    return this.#open.get(keyOf(ip)) ?? 0;
  }
}

/** Without an address (no server to ask) every such socket shares one slot count. */
const keyOf = (ip: string | null) => (ip === null ? "unknown" : ipKey(ip));

/** The caps of both socket routes, from the operator's settings. */
export interface SocketCaps {
  /** /ws/widget: anonymous until its auth frame, so capped before it. */
  widget: SocketCap;
  /** /ws/inbox: signed-in agents' pages. */
  agent: SocketCap;
}

/** `refused(limit)`: the metrics' count of refusals by limit name. */
export function socketCaps(settings: { openWidgetSocketsPerIp: number; openAgentSocketsPerIp: number }, refused: (limit: string) => void = () => {}): SocketCaps {
  return {
    widget: new SocketCap(settings.openWidgetSocketsPerIp, () => refused("widget_sockets_per_ip")),
    agent: new SocketCap(settings.openAgentSocketsPerIp, () => refused("agent_sockets_per_ip")),
  };
}
