// What arrives on the channel all instances share, read: another instance's publishes go to this
// instance's sockets and control listeners, our own heartbeat to the bus; anything else is ignored.
import type { LocalDelivery } from "./bus.ts";
import { CONTROL_TOPIC, HEARTBEAT_TOPIC, isBatch, isBatchFrom, parseEnvelope, splitBatch } from "./bus-envelope.ts";
import { decodeControl } from "./control.ts";
import { receiveSpan } from "../tracing/bus-spans.ts";

export interface BusReceiver {
  instanceId: string;
  local: LocalDelivery;
  /** One of our own heartbeats came back; `publishedAt` is when it left (epoch milliseconds). */
  heard(publishedAt: number): void;
  /** Something on the channel this code did not write. */
  malformed(): void;
}

export function receiveMessage(message: string, to: BusReceiver): void {
  if (!isBatch(message)) return receiveEnvelope(message, to);
  // Our own publishes reached our sockets when they were made: a batch of ours is not even split.
  if (isBatchFrom(message, to.instanceId)) return;
  const batch = splitBatch(message);
  if (!batch) return to.malformed();
  for (const envelope of batch.envelopes) receiveEnvelope(envelope, to, batch.instanceId);
}

/** `from`: the batch's sender, which each of its envelopes must name. */
function receiveEnvelope(message: string, to: BusReceiver, from?: string): void {
  const envelope = parseEnvelope(message);
  if (!envelope || (from !== undefined && envelope.instanceId !== from)) return to.malformed();
  if (envelope.topic === HEARTBEAT_TOPIC) {
    if (envelope.instanceId === to.instanceId) to.heard(envelope.publishedAt);
    return;
  }
  // Our own publishes reached our sockets (and our own control listeners) when they were made.
  if (envelope.instanceId === to.instanceId) return;
  if (envelope.topic === CONTROL_TOPIC) {
    const control = decodeControl(envelope.data);
    return control ? to.local.control(control) : to.malformed();
  }
  const { topic, data, mark, publishedAt, traceparent } = envelope;
  receiveSpan(topic, data.length, traceparent, () => to.local.deliver(topic, data, mark, publishedAt, "redis"), to.local);
}
