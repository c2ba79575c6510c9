// The cache rule: the widget reads the inbox on every HTTP request and socket message, so
// findInbox / findInboxByPublicKey (service.ts) answer from a small per-process cache for up to
// INBOX_TTL_MS. The service's writes drop the inbox from it, so a change holds at once on this
// instance and within INBOX_TTL_MS on the others. Misses are not cached. Code that changes inbox
// rows elsewhere must go through service.ts.
//
// Callers that miss while a read of the same inbox is under way share that read: when the entry
// expired in a reconnect storm, every socket authenticating meanwhile used to send a read of its
// own (4,285 in one storm, each waiting about 0.7 s for a connection behind the others). A write
// ends the sharing: a caller after it starts a new read.
import type { Db } from "../db/database.ts";
import type { Inbox } from "./queries.ts";

const INBOX_TTL_MS = 2_000;
/** Beyond this many cached inboxes the cache starts afresh (a bound, not a working-set size). */
const INBOX_CACHE_MAX = 1_000;

interface InboxCache {
  byId: Map<string, { inbox: Inbox; until: number }>;
  /** Public key -> id; public keys never change. */
  idByKey: Map<string, string>;
  /** Reads under way, by "id:" or "key:" and the id or public key. */
  reading: Map<string, Promise<Inbox | undefined>>;
  /** Bumped by every write, so a read that began before it does not store what it read. */
  generation: number;
}

/** Per database handle: tests run several databases in one process. */
const caches = new WeakMap<Db, InboxCache>();

function cacheOf(db: Db): InboxCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = { byId: new Map(), idByKey: new Map(), reading: new Map(), generation: 0 }));
  return cache;
}

function fresh(cache: InboxCache, id: string | undefined): Inbox | undefined {
  const hit = id === undefined ? undefined : cache.byId.get(id);
  return hit && hit.until > Date.now() ? hit.inbox : undefined;
}

function readThrough(cache: InboxCache, readingKey: string, read: () => Promise<Inbox | undefined>): Promise<Inbox | undefined> {
  const underWay = cache.reading.get(readingKey);
  if (underWay) return underWay;
  const generation = cache.generation;
  const reading = read()
    .then((inbox) => {
      if (inbox && generation === cache.generation) {
        if (cache.byId.size >= INBOX_CACHE_MAX) {
          cache.byId.clear();
          cache.idByKey.clear();
        }
        cache.byId.set(inbox.id, { inbox, until: Date.now() + INBOX_TTL_MS });
        cache.idByKey.set(inbox.publicKey, inbox.id);
      }
      return inbox;
    })
    .finally(() => {
      if (cache.reading.get(readingKey) === reading) cache.reading.delete(readingKey);
    });
  cache.reading.set(readingKey, reading);
  return reading;
}

/** The inbox by id: cached, or read (shared with the callers missing meanwhile). */
export function cachedInbox(db: Db, id: string, read: () => Promise<Inbox | undefined>): Promise<Inbox | undefined> {
  const cache = cacheOf(db);
  const hit = fresh(cache, id);
  return hit ? Promise.resolve(hit) : readThrough(cache, `id:${id}`, read);
}

/** The inbox by public key: as `cachedInbox`. */
export function cachedInboxByPublicKey(db: Db, publicKey: string, read: () => Promise<Inbox | undefined>): Promise<Inbox | undefined> {
  const cache = cacheOf(db);
  const hit = fresh(cache, cache.idByKey.get(publicKey));
  return hit ? Promise.resolve(hit) : readThrough(cache, `key:${publicKey}`, read);
}

/**
 * After a write (committed or failed): the next read of this inbox goes to the database, and no
 * read begun before it is joined or stored. `null` (a new inbox) leaves the cached ones as they are.
 */
export function forgetInbox(db: Db, id: string | null): void {
  const cache = cacheOf(db);
  cache.generation++;
  // Reads begun before the write may return the old row: nobody asking from now on joins them.
  cache.reading.clear();
  if (id !== null) cache.byId.delete(id);
}
