import type { Db } from "../db/database.ts";
import { randomToken } from "../auth/tokens.ts";
import * as q from "./queries.ts";

export type { Inbox } from "./queries.ts";

export const DEFAULT_INBOX_NAME = "Website";

/** A product that works from the first start: the "Website" inbox exists before anyone asks. */
export async function ensureDefaultInbox(db: Db): Promise<void> {
  await q.insertInboxIfNone(db, {
    name: DEFAULT_INBOX_NAME,
    // The public key goes into every embed snippet; short and URL-safe, yet not enumerable.
    publicKey: `pk_${randomToken(12)}`,
    identitySecret: randomToken(32),
  });
}

export function listInboxes(db: Db) {
  return q.listInboxes(db);
}
