import type { Db } from "../db/database.ts";
import { randomToken } from "../auth/tokens.ts";
import * as q from "./queries.ts";

export type { Inbox, InboxSettings } from "./queries.ts";

export const DEFAULT_INBOX_NAME = "Website";

// The public key goes into every embed snippet; short and URL-safe, yet not enumerable.
const newPublicKey = () => `pk_${randomToken(12)}`;
const newIdentitySecret = () => randomToken(32);

/** A product that works from the first start: the "Website" inbox exists before anyone asks. */
export async function ensureDefaultInbox(db: Db): Promise<void> {
  await q.insertInboxIfNone(db, { name: DEFAULT_INBOX_NAME, publicKey: newPublicKey(), identitySecret: newIdentitySecret() });
}

export function listInboxes(db: Db) {
  return q.listInboxes(db);
}

// The cache rule: the widget reads the inbox on every HTTP request and socket message, so
// findInbox / findInboxByPublicKey answer from a small per-process cache for up to INBOX_TTL_MS.
// This module's writes (createInbox, updateInboxSettings, regenerateIdentitySecret) drop the
// inbox from it, so a change holds at once on this instance and within INBOX_TTL_MS on the others.
// Misses are not cached. Code that changes inbox rows elsewhere must go through these functions.
const INBOX_TTL_MS = 2_000;
/** Beyond this many cached inboxes the cache starts afresh (a bound, not a working-set size). */
const INBOX_CACHE_MAX = 1_000;

interface InboxCache {
  byId: Map<string, { inbox: q.Inbox; until: number }>;
  /** Public key -> id; public keys never change. */
  idByKey: Map<string, string>;
  /** Bumped by every write, so a read that began before it does not store what it read. */
  generation: number;
}

/** Per database handle: tests run several databases in one process. */
const caches = new WeakMap<Db, InboxCache>();

function cacheOf(db: Db): InboxCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = { byId: new Map(), idByKey: new Map(), generation: 0 }));
  return cache;
}

function cached(cache: InboxCache, id: string | undefined): q.Inbox | undefined {
  const hit = id === undefined ? undefined : cache.byId.get(id);
  return hit && hit.until > Date.now() ? hit.inbox : undefined;
}

async function readThrough(cache: InboxCache, read: () => Promise<q.Inbox | undefined>): Promise<q.Inbox | undefined> {
  const generation = cache.generation;
  const inbox = await read();
  if (inbox && generation === cache.generation) {
    if (cache.byId.size >= INBOX_CACHE_MAX) forgetAll(cache);
    cache.byId.set(inbox.id, { inbox, until: Date.now() + INBOX_TTL_MS });
    cache.idByKey.set(inbox.publicKey, inbox.id);
  }
  return inbox;
}

function forgetAll(cache: InboxCache): void {
  cache.byId.clear();
  cache.idByKey.clear();
}

/** After a write: the next read of this inbox goes to the database. */
async function written<T>(db: Db, id: string | null, write: Promise<T>): Promise<T> {
  const cache = cacheOf(db);
  try {
    return await write;
  } finally {
    cache.generation++;
    if (id !== null) cache.byId.delete(id);
  }
}

export async function findInboxByPublicKey(db: Db, publicKey: string) {
  const cache = cacheOf(db);
  return cached(cache, cache.idByKey.get(publicKey)) ?? readThrough(cache, () => q.findInboxByPublicKey(db, publicKey));
}

export async function findInbox(db: Db, id: string) {
  const cache = cacheOf(db);
  return cached(cache, id) ?? readThrough(cache, () => q.findInbox(db, id));
}

/** A second website (or brand): its own snippet, secret and settings, with the defaults of the schema. */
export function createInbox(db: Db, name: string) {
  return written(db, null, q.insertInbox(db, { name, publicKey: newPublicKey(), identitySecret: newIdentitySecret() }));
}

/** Stores validated settings (src/inboxes/model.ts); the widget uses them from its next request or message on. */
export function updateInboxSettings(db: Db, id: string, settings: q.InboxSettings) {
  return written(db, id, q.updateInboxSettings(db, id, settings));
}

/**
 * A new identity secret, for when the old one leaked. User hashes computed with the old secret
 * are refused from now on; anonymous visitors are not affected.
 */
export function regenerateIdentitySecret(db: Db, id: string) {
  return written(db, id, q.setIdentitySecret(db, id, newIdentitySecret()));
}
