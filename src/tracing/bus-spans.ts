// Spans of the realtime bus, and the trace context that crosses Redis in the envelope's
// traceparent field: publish on one instance (a producer span), receive on the others (a
// consumer span whose parent is the publisher's), and each local delivery to Bun's sockets.
// Topics carry ids (`conv:<id>:agents`): spans name the topic's kind only, with ids hashed.
import { context, propagation, ROOT_CONTEXT, SpanKind, trace, type Attributes } from "@opentelemetry/api";
import { hashedId } from "./hashed-ids.ts";
import { inSpan, recordingParent, tracingOn } from "./tracing.ts";

/** `conv:<id>:agents` → `conv:*:agents`: every segment after the first that is not a fixed word is an id. */
function topicKind(topic: string): string {
  const [head, ...rest] = topic.split(":");
  return [head, ...rest.map((segment) => (segment === "agents" ? segment : "*"))].join(":");
}

/** `system`: "redis" for what crosses instances; a delivery to this instance's sockets has none. */
function topicAttributes(topic: string, operation: string, system?: string): Attributes {
  const attributes: Attributes = { "messaging.operation.type": operation, "messaging.destination.template": topicKind(topic) };
  if (system) attributes["messaging.system"] = system;
  // The conversation's topics: its hashed id lets a trace search find every push of one conversation.
  const conversation = /^conv:([^:]+)/.exec(topic)?.[1];
  if (conversation) attributes["supportdesk.conversation.hash"] = hashedId(conversation);
  return attributes;
}

/**
 * A publish to every instance, inside a producer span when a traced frame or request makes it;
 * `send` gets the traceparent to put in the envelope ("" when untraced, so nothing extra crosses).
 */
export function publishSpan(topic: string, send: (traceparent: string) => void): void {
  if (!recordingParent()) return send("");
  inSpan(`publish ${topicKind(topic)}`, { kind: SpanKind.PRODUCER, attributes: topicAttributes(topic, "publish", "redis") }, () => {
    const carrier: { traceparent?: string } = {};
    propagation.inject(context.active(), carrier);
    send(carrier.traceparent ?? "");
  });
}

/** What another instance published, handled inside a consumer span continuing its trace. */
export function receiveSpan(topic: string, traceparent: string | undefined, handle: () => void): void {
  if (!tracingOn() || !traceparent) return handle();
  const remote = propagation.extract(ROOT_CONTEXT, { traceparent });
  if (!trace.getSpanContext(remote)) return handle();
  inSpan(`receive ${topicKind(topic)}`, { kind: SpanKind.CONSUMER, attributes: topicAttributes(topic, "receive", "redis") }, handle, remote);
}

/** The write to this instance's sockets subscribed to `topic` (Bun's server.publish). */
export function deliverSpan<T>(topic: string, bytes: number, deliver: () => T): T {
  if (!recordingParent()) return deliver();
  const attributes = { ...topicAttributes(topic, "process"), "messaging.message.body.size": bytes };
  return inSpan(`deliver ${topicKind(topic)}`, { kind: SpanKind.INTERNAL, attributes }, deliver);
}
