import { errorMessage, type Logger, silentLogger } from "../log/logger.ts";
import { epochNow, noMetrics, type DeliveryPath, type Metrics } from "../metrics/metrics.ts";
import { publishSpan } from "../tracing/bus-spans.ts";
import type { ControlMessage } from "./control.ts";

/** The one thing the bus needs from Bun's server: ServerWebSocket topics. */
export interface LocalServer {
  publish(topic: string, data: string): number;
  subscriberCount(topic: string): number;
}

/** Marks a delivery as carrying message `seq` of a conversation, so the sweeper can spot gaps. */
export interface SeqMark {
  conversationId: string;
  seq: number;
}

export type BusHealth = { ok: true } | { ok: false; reason: string };

export interface Bus {
  /** Attach Bun's server once it listens; before that, publishes reach no local socket (and that is fine). */
  attach(server: LocalServer): void;
  /** To every subscriber of `topic` on every instance: to this instance's sockets at once, and through Redis to the other instances. */
  publish(topic: string, data: string, mark?: SeqMark): void;
  /** To this instance's subscribers only (each instance's sweeper catches up its own sockets). */
  publishLocal(topic: string, data: string, mark?: SeqMark): void;
  /** Called for every delivery to this instance's sockets that carried a mark, whether published here or received from another instance. */
  onDelivered(listener: (mark: SeqMark) => void): void;
  /** Called after a lost subscription is back: this instance's readers may have missed messages and must catch up from the database. */
  onResync(listener: () => void): void;
  /**
   * A command to every instance about its own sockets, this one included (its listeners run before
   * this returns). At most once elsewhere, like every publish: what it commands must also hold
   * without it (a deactivated agent's reconnect is refused by the database anyway).
   */
  control(message: ControlMessage): void;
  /** Called for every control message, whichever instance sent it. */
  onControl(listener: (message: ControlMessage) => void): void;
  /** For /ready: false while the Redis subscription is down or deaf. */
  health(): BusHealth;
  close(): Promise<void>;
}

/**
 * Delivery to this instance's sockets, shared by both buses. It never throws: a publish happens
 * after the database commit, and the database stays the log whatever a listener or Bun does.
 */
export class LocalDelivery {
  private server: LocalServer | null = null;
  private readonly deliveredListeners: Array<(mark: SeqMark) => void> = [];
  private readonly controlListeners: Array<(message: ControlMessage) => void> = [];

  constructor(
    private readonly log: Logger,
    private readonly metrics: Pick<Metrics, "messageWritten"> = noMetrics,
  ) {}

  onControl(listener: (message: ControlMessage) => void): void {
    this.controlListeners.push(listener);
  }

  /** Runs this instance's control listeners; one that throws does not stop the others. */
  control(message: ControlMessage): void {
    for (const listener of this.controlListeners) {
      try {
        listener(message);
      } catch (err) {
        this.log.error("bus control listener failed", { type: message.type, error: errorMessage(err) });
      }
    }
  }

  attach(server: LocalServer): void {
    this.server = server;
  }

  onDelivered(listener: (mark: SeqMark) => void): void {
    this.deliveredListeners.push(listener);
  }

  /**
   * `publishedAt` (epochNow() on the publishing instance) and `via`: a publish's, timed for the
   * metrics when it carries a message; absent for the sweeper's repairs. Returns the bytes Bun
   * wrote to this instance's sockets (for the bus's spans).
   */
  deliver(topic: string, data: string, mark: SeqMark | undefined, publishedAt?: number, via: DeliveryPath = "local"): number {
    const written = this.publishToSockets(topic, data);
    if (!mark) return written;
    // Bun's publish returns the bytes written, 0 when no socket of this instance has the topic.
    if (publishedAt !== undefined && written > 0) this.metrics.messageWritten(topic, via, publishedAt);
    for (const listener of this.deliveredListeners) {
      try {
        listener(mark);
      } catch (err) {
        this.log.error("bus delivery listener failed", { error: errorMessage(err) });
      }
    }
    return written;
  }

  /** Whether any socket of this instance has the topic (a receive span is made only for one that does). */
  reaches(topic: string): boolean {
    try {
      return (this.server?.subscriberCount(topic) ?? 0) > 0;
    } catch {
      return false;
    }
  }

  private publishToSockets(topic: string, data: string): number {
    try {
      return this.server?.publish(topic, data) ?? 0;
    } catch (err) {
      // A stopped server: its sockets are gone and will catch up when they reconnect.
      this.log.warn("local publish failed", { topic, error: errorMessage(err) });
      return 0;
    }
  }
}

/** One instance, no Redis: every publish is local, and a subscription cannot be lost. */
export function inProcessBus(log: Logger = silentLogger, metrics: Pick<Metrics, "messageWritten"> = noMetrics): Bus {
  const local = new LocalDelivery(log, metrics);
  // The publish time only feeds the delivery metric: no clock read without metrics.
  const publishedAt = metrics === noMetrics ? () => undefined : epochNow;
  return {
    attach: (server) => local.attach(server),
    publish: (topic, data, mark) => publishSpan(topic, data.length, undefined, () => local.deliver(topic, data, mark, publishedAt())),
    publishLocal: (topic, data, mark) => publishSpan(topic, data.length, undefined, () => local.deliver(topic, data, mark)),
    onDelivered: (listener) => local.onDelivered(listener),
    // Nothing is ever missed in-process, so there is never anything to resync.
    onResync: () => {},
    control: (message) => local.control(message),
    onControl: (listener) => local.onControl(listener),
    health: () => ({ ok: true }),
    close: async () => {},
  };
}
