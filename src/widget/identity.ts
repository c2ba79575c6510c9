import { constantTimeEqual, hmacHex } from "../auth/tokens.ts";

/**
 * Whether the embedding site's backend vouched for this user id: `hash` must be the hex
 * HMAC-SHA256 of the id under the inbox's identity secret. Compared in constant time.
 */
export function identityHashValid(identitySecret: string, userId: string, hash: string): boolean {
  return constantTimeEqual(hash.toLowerCase(), hmacHex(identitySecret, userId));
}

/** What the site's backend computes; exported for tests and the docs' example. */
export function identityHash(identitySecret: string, userId: string): string {
  return hmacHex(identitySecret, userId);
}
