import type { Db } from "../db/database.ts";
import { randomToken } from "../auth/tokens.ts";
import { cachedInbox, cachedInboxByPublicKey, forgetInbox } from "./inbox-cache.ts";
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

/** After a write: the next read of this inbox goes to the database. */
async function written<T>(db: Db, id: string | null, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } finally {
    forgetInbox(db, id);
  }
}

// The widget reads the inbox on every HTTP request and socket message: see inbox-cache.ts for how
// long a cached inbox is used, and why every change goes through this module's writes.
export function findInboxByPublicKey(db: Db, publicKey: string) {
  return cachedInboxByPublicKey(db, publicKey, () => q.findInboxByPublicKey(db, publicKey));
}

export function findInbox(db: Db, id: string) {
  return cachedInbox(db, id, () => q.findInbox(db, id));
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
