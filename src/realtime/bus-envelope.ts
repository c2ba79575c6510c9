// What one instance's bus sends the others through Redis: a topic, an optional seq mark and the
// data, in one string that is cheap to write and to read, and safe to refuse when it is not ours.
import type { SeqMark } from "./bus.ts";
import { topics } from "./topics.ts";

// Envelope: "sd1\t<instanceId>\t<topic>\t<conversationId>\t<seq>[\t<traceparent>]\n<data>"
// (conversationId and seq empty without a mark; the W3C traceparent only when the publish was
// traced, so an untraced envelope is what an instance without tracing sends and reads). The header
// never holds a tab or newline of its own (checked before sending), so everything after the first
// newline is the data, byte for byte, and encoding is one string concatenation: no JSON of a large
// HTML partial.
const ENVELOPE_VERSION = "sd1";
/** Bus-internal topics (topics.ts): never forwarded to sockets, handled by the bus itself. */
export const HEARTBEAT_TOPIC = topics.busHeartbeat();
export const CONTROL_TOPIC = topics.control();
const HEADER_BREAKERS = /[\t\n]/;
const DIGITS = /^\d+$/;
/** The W3C traceparent's shape: version 00, trace id, parent span id, flags. */
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

export interface Envelope {
  instanceId: string;
  topic: string;
  mark: SeqMark | undefined;
  /** The publisher's trace context, when its publish was traced. */
  traceparent: string | undefined;
  data: string;
}

export function fitsInHeader(topic: string, mark: SeqMark | undefined): boolean {
  if (topic === "" || topic === HEARTBEAT_TOPIC || topic === CONTROL_TOPIC || HEADER_BREAKERS.test(topic)) return false;
  if (!mark) return true;
  return mark.conversationId !== "" && !HEADER_BREAKERS.test(mark.conversationId) && Number.isSafeInteger(mark.seq) && mark.seq >= 0;
}

/** `traceparent`: from the tracing module (well-formed) or "" for none. */
export function envelopeHeader(instanceId: string, topic: string, mark: SeqMark | undefined, traceparent = ""): string {
  const markFields = mark ? `${mark.conversationId}\t${mark.seq}` : "\t";
  return `${ENVELOPE_VERSION}\t${instanceId}\t${topic}\t${markFields}${traceparent ? `\t${traceparent}` : ""}\n`;
}

/** null for anything this code did not write: Redis is shared, and must not be able to crash us. */
export function parseEnvelope(message: string): Envelope | null {
  const headerEnd = message.indexOf("\n");
  if (headerEnd < 0) return null;
  const fields = message.slice(0, headerEnd).split("\t");
  if ((fields.length !== 5 && fields.length !== 6) || fields[0] !== ENVELOPE_VERSION) return null;
  const [, instanceId, topic, conversationId, seq, traceparent] = fields as [string, string, string, string, string, string?];
  if (instanceId === "" || topic === "") return null;
  if (traceparent !== undefined && !TRACEPARENT.test(traceparent)) return null;
  let mark: SeqMark | undefined;
  if (conversationId !== "" || seq !== "") {
    if (conversationId === "" || !DIGITS.test(seq)) return null;
    mark = { conversationId, seq: Number(seq) };
  }
  return { instanceId, topic, mark, traceparent, data: message.slice(headerEnd + 1) };
}
