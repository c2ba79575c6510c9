// Unsubscribing from conversation emails by the signed link every such email carries.
import type { Db } from "../db/database.ts";
import { unsubscribeContact } from "./reply-email-queries.ts";
import { readUnsubscribeToken } from "./signed-links.ts";

/** The contact a link stands for; null for a link we did not make. */
export function contactOfLink(secret: string, token: string): string | null {
  return readUnsubscribeToken(secret, token);
}

/**
 * No more reply emails for this contact, from now on (jobs already scheduled check it before they
 * send). Repeating it changes nothing; false when the contact no longer exists.
 */
export function unsubscribe(db: Db, contactId: string): Promise<boolean> {
  return unsubscribeContact(db, contactId, new Date());
}
