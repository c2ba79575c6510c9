// Conversation, contact and agent ids reach a span only hashed: HMAC-SHA256 with a key of this
// install's own, so a trace store (often shared, kept long) can follow one conversation across
// spans but cannot be joined with the database, and another install's hashes say nothing here.
import { createHmac } from "node:crypto";
import type { Attributes } from "@opentelemetry/api";

/** 64 bits of the HMAC: enough to tell a conversation from the others in any trace search. */
const HASH_HEX_CHARS = 16;

/** One HMAC costs a few microseconds, and a conversation's id is hashed for each of its spans. */
const CACHE_LIMIT = 10_000;

let key: Buffer | null = null;
const cache = new Map<string, string>();

/** Derives the key from the session secret (boot.ts, once it is known); every instance agrees on it. */
export function useTraceIdKey(sessionSecret: string): void {
  key = createHmac("sha256", sessionSecret).update("trace-ids").digest();
  cache.clear();
}

/** The id as spans show it; "unkeyed" before boot has the key, never the id itself. */
export function hashedId(id: string): string {
  if (!key) return "unkeyed";
  let hash = cache.get(id);
  if (hash === undefined) {
    // Simply emptied when full: the ids of the conversations going on now come back at once.
    if (cache.size >= CACHE_LIMIT) cache.clear();
    hash = createHmac("sha256", key).update(id).digest("hex").slice(0, HASH_HEX_CHARS);
    cache.set(id, hash);
  }
  return hash;
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
