// Conversation, contact and agent ids reach a span only hashed: HMAC-SHA256 with a key of this
// install's own, so a trace store (often shared, kept long) can follow one conversation across
// spans but cannot be joined with the database, and another install's hashes say nothing here.
import { createHmac } from "node:crypto";
import type { Attributes } from "@opentelemetry/api";

/** 64 bits of the HMAC: enough to tell a conversation from the others in any trace search. */
const HASH_HEX_CHARS = 16;

let key: Buffer | null = null;

/** Derives the key from the session secret (boot.ts, once it is known); every instance agrees on it. */
export function useTraceIdKey(sessionSecret: string): void {
  key = createHmac("sha256", sessionSecret).update("trace-ids").digest();
}

/** The id as spans show it; "unkeyed" before boot has the key, never the id itself. */
export function hashedId(id: string): string {
  if (!key) return "unkeyed";
  return createHmac("sha256", key).update(id).digest("hex").slice(0, HASH_HEX_CHARS);
}

export interface TracedIds {
  conversation?: string | null;
  contact?: string | null;
  agent?: string | null;
}

/** Span attributes for whichever of the ids are known, hashed. */
export function idAttributes(ids: TracedIds): Attributes {
  const attributes: Attributes = {};
  if (ids.conversation) attributes["supportdesk.conversation.hash"] = hashedId(ids.conversation);
  if (ids.contact) attributes["supportdesk.contact.hash"] = hashedId(ids.contact);
  if (ids.agent) attributes["supportdesk.agent.hash"] = hashedId(ids.agent);
  return attributes;
}
