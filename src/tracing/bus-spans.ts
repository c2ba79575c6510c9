// Spans of the realtime bus, and the trace context that crosses Redis in the envelope's
// traceparent field: publish on one instance (a producer span, its own sockets' write included),
// receive on the others whose sockets have the topic (a consumer span whose parent is the
// publisher's, their sockets' write included: the bytes written are an attribute of each).
// Topics carry ids (`conv:<id>:agents`): spans name the topic's kind only, with ids hashed.
import { context, propagation, ROOT_CONTEXT, SpanKind, trace, type Attributes } from "@opentelemetry/api";
import { hashedId } from "./hashed-ids.ts";
import { recordingParent, spanAround, tracingOn } from "./tracing.ts";

/** `conv:<id>:agents` → `conv:*:agents`: every segment after the first that is not a fixed word is an id. */
export function topicKind(topic: string): string {
  const first = topic.indexOf(":");
  if (first < 0) return topic;
  let kind = topic.slice(0, first);
  for (let at = first; at >= 0; ) {
    const next = topic.indexOf(":", at + 1);
    const segment = topic.slice(at + 1, next < 0 ? undefined : next);
    kind += segment === "agents" ? ":agents" : ":*";
    at = next;
  }
  return kind;
}

/**
 * `system`: "redis" for what crosses instances; a delivery to this instance's sockets alone has
 * none. Few attributes: each costs its validation and its bytes in every kept span.
 */
function topicAttributes(topic: string, bytes: number, system?: string): Attributes {
  const attributes: Attributes = { "messaging.destination.template": topicKind(topic), "messaging.message.body.size": bytes };
  if (system) attributes["messaging.system"] = system;
  // The conversation's topics: its hashed id lets a trace search find every push of one conversation.
  if (topic.startsWith("conv:")) {
    const end = topic.indexOf(":", 5);
    attributes["supportdesk.conversation.hash"] = hashedId(topic.slice(5, end < 0 ? undefined : end));
  }
  return attributes;
}

/** Bun's server.publish: the bytes it wrote to this instance's sockets (0 when none has the topic). */
const WRITTEN = "supportdesk.socket.bytes_written";

/**
 * A publish, inside a producer span when a traced frame or request makes it. `publish` writes to
 * this instance's sockets (returning the bytes written) and, with `system` "redis", sends the
 * envelope with the traceparent it is given ("" when untraced, so nothing extra crosses). One span
 * covers both: a span per socket write doubled what a kept trace cost.
 */
export function publishSpan(topic: string, bytes: number, system: "redis" | undefined, publish: (traceparent: string) => number): void {
  if (!recordingParent()) return void publish("");
  const outer = context.active();
  spanAround(`publish ${topicKind(topic)}`, { kind: SpanKind.PRODUCER, attributes: topicAttributes(topic, bytes, system) }, outer, (span) => {
    let traceparent = "";
    if (system) {
      const carrier: { traceparent?: string } = {};
      propagation.inject(trace.setSpan(outer, span), carrier);
      traceparent = carrier.traceparent ?? "";
    }
    span.setAttribute(WRITTEN, publish(traceparent));
  });
}

/** This instance's sockets, as far as a receive span needs them (LocalDelivery). */
export interface TopicReach {
  reaches(topic: string): boolean;
}

/**
 * What another instance published, written to this instance's sockets inside a consumer span
 * continuing its trace. Every instance receives every publish: one whose sockets do not have the
 * topic makes no span, or each message's trace would hold a receive that wrote nothing from every
 * instance.
 */
export function receiveSpan(topic: string, bytes: number, traceparent: string | undefined, deliver: () => number, sockets: TopicReach): void {
  if (!tracingOn() || !traceparent || !sockets.reaches(topic)) return void deliver();
  const remote = propagation.extract(ROOT_CONTEXT, { traceparent });
  if (!trace.getSpanContext(remote)) return void deliver();
  spanAround(`receive ${topicKind(topic)}`, { kind: SpanKind.CONSUMER, attributes: topicAttributes(topic, bytes, "redis") }, remote, (span) => void span.setAttribute(WRITTEN, deliver()));
}
