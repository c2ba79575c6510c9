import Redis from "ioredis";
import { errorMessage, type Logger } from "../log/logger.ts";
import { type Bus, type BusHealth, LocalDelivery, type LocalServer, type SeqMark } from "./bus.ts";
import { encodeControl, type ControlMessage } from "./control.ts";
import { CONTROL_TOPIC, envelopeHeader, fitsInHeader, HEARTBEAT_TOPIC } from "./bus-envelope.ts";
import { receiveMessage, type BusReceiver } from "./bus-receiver.ts";
import { PublishBatcher } from "./publish-batcher.ts";
import { reportRedisErrors } from "./redis.ts";
import { epochNow, noMetrics, type Metrics } from "../metrics/metrics.ts";
import { publishSpan } from "../tracing/bus-spans.ts";

export interface RedisBusOptions {
  /** Tells this instance's envelopes apart; printable ASCII without spaces. Random unless given. */
  instanceId?: string;
  /** The one pub/sub channel all instances share; tests pass their own to stay isolated. */
  channel?: string;
  /** How often this instance sends itself a heartbeat through Redis. */
  heartbeatMs?: number;
  /** Without one of our own heartbeats for this long the subscription is deaf, and is redone. */
  deafAfterMs?: number;
  /** Publish-to-write latency of messages, and the heartbeat's round trip. */
  metrics?: Pick<Metrics, "messageWritten" | "busRoundTrip">;
}

type SubscriptionState = "starting" | "subscribed" | "lost" | "deaf";

const HEALTH: Record<SubscriptionState, BusHealth> = {
  starting: { ok: false, reason: "redis subscription not established yet" },
  subscribed: { ok: true },
  lost: { ok: false, reason: "redis subscription lost" },
  deaf: { ok: false, reason: "redis subscription deaf: our own heartbeats stopped arriving" },
};

/**
 * Every instance publishes to and subscribes to one channel, and forwards what other instances
 * published to its local Bun topics. Redis pub/sub is at-most-once: the database is the log, and
 * whatever is lost here is caught up through onResync and the sweeper.
 */
class RedisBus implements Bus {
  private readonly local: LocalDelivery;
  private readonly resyncListeners: Array<() => void> = [];
  private readonly publisher: Redis;
  /** One per process: a subscribed connection is for receiving only. */
  private readonly subscriber: Redis;
  private readonly outgoing: PublishBatcher;
  private readonly receiver: BusReceiver;
  private readonly heartbeatTimer: ReturnType<typeof setInterval>;
  private subscription: SubscriptionState = "starting";
  private everSubscribed = false;
  private lastHeardAt = 0;
  private publishFailing = false;
  private warnedMalformed = false;
  private closing: Promise<void> | null = null;

  constructor(
    url: string,
    private readonly log: Logger,
    private readonly instanceId: string,
    private readonly channel: string,
    private readonly deafAfterMs: number,
    heartbeatMs: number,
    private readonly metrics: Pick<Metrics, "messageWritten" | "busRoundTrip">,
  ) {
    this.local = new LocalDelivery(log, metrics);
    this.outgoing = new PublishBatcher(instanceId, this.send);
    this.receiver = { instanceId, local: this.local, heard: this.heard, malformed: () => this.ignoreMalformed() };

    this.publisher = new Redis(url, {
      // While Redis is down a publish fails at once instead of piling up in memory.
      enableOfflineQueue: false,
      // Publishes issued in the same tick share one write to Redis.
      enableAutoPipelining: true,
      connectionName: `supportdesk:bus:pub:${instanceId}`,
    });
    reportRedisErrors(this.publisher, log, "bus publisher");
    this.publisher.on("ready", () => {
      if (this.publishFailing) log.info("redis publishing resumed");
      this.publishFailing = false;
    });

    this.subscriber = new Redis(url, {
      // We subscribe on every "ready" ourselves: ioredis resubscribes only to what it believes it
      // is subscribed to, and after the server dropped the subscription that can be nothing.
      autoResubscribe: false,
      // Keep the handshake free of extra commands on this connection (ioredis issue #2037).
      disableClientInfo: true,
      connectionName: `supportdesk:bus:sub:${instanceId}`,
    });
    reportRedisErrors(this.subscriber, log, "bus subscriber");
    this.subscriber.on("ready", this.subscribe);
    this.subscriber.on("close", this.subscriptionClosed);
    this.subscriber.on("message", this.received);

    this.heartbeatTimer = setInterval(this.beat, heartbeatMs);
    this.heartbeatTimer.unref();
  }

  attach(server: LocalServer): void {
    this.local.attach(server);
  }

  publish(topic: string, data: string, mark?: SeqMark): void {
    publishSpan(topic, data.length, "redis", (traceparent) => {
      const at = epochNow();
      const written = this.local.deliver(topic, data, mark, at);
      if (this.closing) return written;
      // A programming error (topics.ts builds every topic); the other instances' sweepers catch up.
      if (!fitsInHeader(topic, mark)) this.log.error("bus: topic or mark cannot be sent to other instances", { topic });
      // Checked first so an outage costs nothing per message: no rejected command, no Error object.
      else if (this.publisher.status !== "ready") this.publishFailed("redis not connected");
      else this.outgoing.add(envelopeHeader(this.instanceId, topic, mark, at, traceparent) + data);
      return written;
    });
  }

  private readonly send = (message: string) => {
    if (this.closing) return;
    if (this.publisher.status !== "ready") this.publishFailed("redis not connected");
    else this.publisher.publish(this.channel, message).catch(this.publishRejected);
  };

  publishLocal(topic: string, data: string, mark?: SeqMark): void {
    publishSpan(topic, data.length, undefined, () => this.local.deliver(topic, data, mark));
  }

  onDelivered(listener: (mark: SeqMark) => void): void {
    this.local.onDelivered(listener);
  }

  onResync(listener: () => void): void {
    this.resyncListeners.push(listener);
  }

  control(message: ControlMessage): void {
    this.local.control(message);
    // In the same batch as the publishes around it, so other instances hear them in the order made.
    this.outgoing.add(envelopeHeader(this.instanceId, CONTROL_TOPIC, undefined, epochNow()) + encodeControl(message));
  }

  onControl(listener: (message: ControlMessage) => void): void {
    this.local.onControl(listener);
  }

  health(): BusHealth {
    return HEALTH[this.subscription];
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    // Nothing to flush: what was not delivered is in the database.
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }

  private readonly subscribe = () => {
    this.subscriber.subscribe(this.channel).then(this.subscriptionConfirmed, (err: unknown) => {
      // The next "ready" tries again; until then health() says why /ready fails.
      if (!this.closing) this.log.warn("redis subscribe failed", { error: errorMessage(err) });
    });
  };

  private readonly subscriptionConfirmed = () => {
    if (this.closing || this.subscription === "subscribed") return;
    const recovered = this.everSubscribed;
    this.subscription = "subscribed";
    this.everSubscribed = true;
    this.lastHeardAt = performance.now();
    if (!recovered) return;
    this.log.info("redis subscription restored; catching up from the database");
    for (const listener of this.resyncListeners) {
      try {
        listener();
      } catch (err) {
        this.log.error("bus resync listener failed", { error: errorMessage(err) });
      }
    }
  };

  private readonly subscriptionClosed = () => {
    if (this.closing || this.subscription !== "subscribed") return;
    this.subscription = "lost";
    this.log.warn("redis subscription lost; resubscribing");
  };

  /** Our own heartbeat coming back is the only proof that the subscription still receives. */
  private readonly beat = () => {
    if (this.subscription !== "subscribed") return;
    if (this.publisher.status !== "ready") {
      // We cannot tell deaf from mute while our heartbeats cannot be sent.
      this.lastHeardAt = performance.now();
      return;
    }
    const silentMs = performance.now() - this.lastHeardAt;
    if (silentMs > this.deafAfterMs) {
      this.subscription = "deaf";
      this.log.warn("redis subscription deaf; reconnecting it", { silentMs: Math.round(silentMs) });
      // A fresh connection: "ready" then subscribes again, and confirmation triggers the resync.
      this.subscriber.disconnect(true);
      return;
    }
    // It carries its send time: coming back, it is also the round trip through Redis.
    this.publisher.publish(this.channel, envelopeHeader(this.instanceId, HEARTBEAT_TOPIC, undefined, epochNow())).catch(this.publishRejected);
  };

  private readonly received = (channel: string, message: string) => {
    if (channel !== this.channel || this.closing) return;
    try {
      receiveMessage(message, this.receiver);
    } catch (err) {
      this.log.error("bus message handling failed", { error: errorMessage(err) });
    }
  };

  private readonly heard = (publishedAt: number) => {
    this.lastHeardAt = performance.now();
    this.metrics.busRoundTrip(Math.max(0, epochNow() - publishedAt) / 1000);
  };

  private readonly publishRejected = (err: unknown) => this.publishFailed(errorMessage(err));

  /** Once per outage: at 2,000 messages a second a line per failure would drown the log. */
  private publishFailed(error: string): void {
    if (this.publishFailing || this.closing) return;
    this.publishFailing = true;
    this.log.warn("redis publish failed; other instances will catch up from the database", { error });
  }

  private ignoreMalformed(): void {
    if (this.warnedMalformed) return;
    this.warnedMalformed = true;
    this.log.warn("ignoring messages on the bus channel that this code did not write", { channel: this.channel });
  }
}

export function redisBus(url: string, log: Logger, options: RedisBusOptions = {}): Bus {
  const instanceId = options.instanceId ?? crypto.randomUUID();
  const heartbeatMs = options.heartbeatMs ?? 1000;
  const deafAfterMs = options.deafAfterMs ?? 3000;
  // It goes into envelope headers and a Redis client name, which allows printable ASCII only.
  if (!/^[!-~]+$/.test(instanceId)) throw new Error("bus instanceId must be printable ASCII without spaces");
  if (!(heartbeatMs > 0 && deafAfterMs > heartbeatMs)) {
    throw new Error("bus deafAfterMs must be longer than heartbeatMs, or every subscription looks deaf");
  }
  return new RedisBus(url, log, instanceId, options.channel ?? "supportdesk:bus", deafAfterMs, heartbeatMs, options.metrics ?? noMetrics);
}
