// What one instance's bus sends the others through Redis: a topic, an optional seq mark and the
// data, in one string that is cheap to write and to read, and safe to refuse when it is not ours.
import type { SeqMark } from "./bus.ts";
import { topics } from "./topics.ts";

// Envelope: "sd2\t<instanceId>\t<topic>\t<conversationId>\t<seq>\t<publishedAt>[\t<traceparent>]\n<data>"
// (conversationId and seq empty without a mark; publishedAt: the sender's epoch milliseconds, with
// a fraction, for the publish-to-write latency and the heartbeat's round trip; the W3C traceparent
// only when the publish was traced). The header never holds a tab or newline of its own (checked
// before sending), so everything after the first newline is the data, byte for byte, and encoding
// is one string concatenation: no JSON of a large HTML partial.
const ENVELOPE_VERSION = "sd2";
/** Bus-internal topics (topics.ts): never forwarded to sockets, handled by the bus itself. */
export const HEARTBEAT_TOPIC = topics.busHeartbeat();
export const CONTROL_TOPIC = topics.control();
const HEADER_BREAKERS = /[\t\n]/;
const DIGITS = /^\d+$/;
const TIME = /^\d{1,16}(\.\d{1,6})?$/;
/** The W3C traceparent's shape: version 00, trace id, parent span id, flags. */
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

export interface Envelope {
  instanceId: string;
  topic: string;
  mark: SeqMark | undefined;
  /** When the sender published it: epoch milliseconds on the sender's clock. */
  publishedAt: number;
  /** The publisher's trace context, when its publish was traced. */
  traceparent: string | undefined;
  data: string;
}

export function fitsInHeader(topic: string, mark: SeqMark | undefined): boolean {
  if (topic === "" || topic === HEARTBEAT_TOPIC || topic === CONTROL_TOPIC || HEADER_BREAKERS.test(topic)) return false;
  if (!mark) return true;
  return mark.conversationId !== "" && !HEADER_BREAKERS.test(mark.conversationId) && Number.isSafeInteger(mark.seq) && mark.seq >= 0;
}

/** `publishedAt`: epoch milliseconds (metrics.ts epochNow); `traceparent`: from the tracing module (well-formed) or "" for none. */
export function envelopeHeader(instanceId: string, topic: string, mark: SeqMark | undefined, publishedAt: number, traceparent = ""): string {
  const markFields = mark ? `${mark.conversationId}\t${mark.seq}` : "\t";
  return `${ENVELOPE_VERSION}\t${instanceId}\t${topic}\t${markFields}\t${publishedAt.toFixed(3)}${traceparent ? `\t${traceparent}` : ""}\n`;
}

/** null for anything this code did not write: Redis is shared, and must not be able to crash us. */
export function parseEnvelope(message: string): Envelope | null {
  const headerEnd = message.indexOf("\n");
  if (headerEnd < 0) return null;
  const fields = message.slice(0, headerEnd).split("\t");
  if ((fields.length !== 6 && fields.length !== 7) || fields[0] !== ENVELOPE_VERSION) return null;
  const [, instanceId, topic, conversationId, seq, publishedAt, traceparent] = fields as [string, string, string, string, string, string, string?];
  if (instanceId === "" || topic === "" || !TIME.test(publishedAt)) return null;
  if (traceparent !== undefined && !TRACEPARENT.test(traceparent)) return null;
  let mark: SeqMark | undefined;
  if (conversationId !== "" || seq !== "") {
    if (conversationId === "" || !DIGITS.test(seq)) return null;
    mark = { conversationId, seq: Number(seq) };
  }
  return { instanceId, topic, mark, publishedAt: Number(publishedAt), traceparent, data: message.slice(headerEnd + 1) };
}

// Batch: the envelopes one instance published within one task, as one Redis message:
// "sdb\t<instanceId>\t<count>\n" and then, per envelope, "<length>\n<envelope>" (the length in
// UTF-16 code units, as the receiver reads the message as a string).
const BATCH_VERSION = "sdb";
const BATCH_PREFIX = `${BATCH_VERSION}\t`;

export function batchEnvelope(instanceId: string, envelopes: string[]): string {
  let message = `${BATCH_PREFIX}${instanceId}\t${envelopes.length}\n`;
  for (const envelope of envelopes) message += `${envelope.length}\n${envelope}`;
  return message;
}

export function isBatch(message: string): boolean {
  return message.startsWith(BATCH_PREFIX);
}

/** Whether a batch is this instance's own, read from its first bytes only. */
export function isBatchFrom(message: string, instanceId: string): boolean {
  return message.startsWith(instanceId, BATCH_PREFIX.length) && message.charCodeAt(BATCH_PREFIX.length + instanceId.length) === 9; /* \t */
}

/** A batch's sender and its envelopes (each still to be parsed); null when it is not a well-formed batch. */
export function splitBatch(message: string): { instanceId: string; envelopes: string[] } | null {
  const headerEnd = message.indexOf("\n");
  if (headerEnd < 0) return null;
  const fields = message.slice(0, headerEnd).split("\t");
  if (fields.length !== 3 || fields[0] !== BATCH_VERSION || fields[1] === "" || !DIGITS.test(fields[2]!)) return null;
  const count = Number(fields[2]);
  const envelopes: string[] = [];
  let at = headerEnd + 1;
  while (at < message.length) {
    const lengthEnd = message.indexOf("\n", at);
    const length = lengthEnd < 0 ? "" : message.slice(at, lengthEnd);
    const end = lengthEnd + 1 + Number(length);
    if (!DIGITS.test(length) || end > message.length) return null;
    envelopes.push(message.slice(lengthEnd + 1, end));
    at = end;
  }
  return envelopes.length === count ? { instanceId: fields[1]!, envelopes } : null;
}
