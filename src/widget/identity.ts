// How the embedding site vouches for a signed-in user (docs/widget-protocol.md, Identity): either
// `hash`, the hex HMAC-SHA256 of the user id, which vouches for the id only and never expires; or
// `token`, an HS256 JWT with `sub`, optional `email` and `name`, and a required `exp`, which vouches
// for all of them until it expires. Both are keyed with the inbox's identity secret.
import { errors, jwtVerify } from "jose";
import { constantTimeEqual, hmacHex } from "../auth/tokens.ts";
import type { IdentifiedUser } from "../contacts/queries.ts";
import { isEmailAddress } from "../http/email-address.ts";

export type { IdentifiedUser };

/** The longest identity token accepted (the session body's limit): a few claims need far less. */
export const MAX_IDENTITY_TOKEN = 4096;

/** The same limits as the fields of `user` beside the proof (src/widget/model.ts). */
const MAX_CLAIM = { sub: 200, email: 320, name: 200 } as const;

/** What the site may pass as `user`: an id with its hash, or a token (with an id that must agree). */
export interface UserProof {
  id?: string;
  hash?: string;
  token?: string;
  email?: string;
  name?: string;
}

/** A user the site vouched for, and until when the proof holds (ms since the epoch; null: the hash, which never expires). */
export interface ProvenUser extends IdentifiedUser {
  proofExpiresAt: number | null;
}

/** Why the proof is refused, in a sentence for the site's developer (never holding the token). */
export class IdentityRefused extends Error {
  override name = "IdentityRefused";
}

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

/**
 * The user that `proof` speaks for; throws IdentityRefused. With a token, its claims are what
 * counts: `id` beside it must equal `sub` (and a `hash` beside it must match too), and `email` and
 * `name` beside it are used, unverified, only when the token does not carry them. `now` is for tests.
 */
export async function identifiedUser(identitySecret: string, proof: UserProof, now = new Date()): Promise<ProvenUser> {
  const plain = { email: proof.email || null, name: proof.name || null };
  if (proof.token === undefined) {
    if (proof.id === undefined || proof.hash === undefined) throw new IdentityRefused("Pass the user's id with its hash, or an identity token.");
    checkHash(identitySecret, proof.id, proof.hash);
    return { id: proof.id, ...plain, emailVerified: false, proofExpiresAt: null };
  }
  const claims = await verifyIdentityToken(identitySecret, proof.token, now);
  if (proof.id !== undefined && proof.id !== claims.sub) throw new IdentityRefused("The user's id does not match the identity token's sub.");
  if (proof.hash !== undefined) checkHash(identitySecret, claims.sub, proof.hash);
  return { id: claims.sub, email: claims.email ?? plain.email, name: claims.name ?? plain.name, emailVerified: claims.email !== null, proofExpiresAt: claims.exp * 1000 };
}

function checkHash(identitySecret: string, id: string, hash: string): void {
  if (!identityHashValid(identitySecret, id, hash)) {
    throw new IdentityRefused("The user's hash does not match: compute it on your server with the inbox's identity secret.");
  }
}

/** The claims of a genuine, unexpired HS256 token signed with `identitySecret`. */
async function verifyIdentityToken(identitySecret: string, token: string, now: Date) {
  if (token.length > MAX_IDENTITY_TOKEN) throw new IdentityRefused(`The identity token is longer than ${MAX_IDENTITY_TOKEN} characters.`);
  let payload: Record<string, unknown>;
  try {
    // Only HS256: `alg: none`, other HMACs and public-key algorithms are refused before any key is used.
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(identitySecret), {
      algorithms: ["HS256"],
      requiredClaims: ["sub", "exp"],
      currentDate: now,
    }));
  } catch (err) {
    throw new IdentityRefused(tokenRefusal(err));
  }
  const sub = claimText(payload, "sub");
  if (!sub) throw new IdentityRefused(`The identity token's "sub" must be the user's id, 1 to ${MAX_CLAIM.sub} characters.`);
  const email = claimText(payload, "email") || null;
  if (email !== null && !isEmailAddress(email, MAX_CLAIM.email)) throw new IdentityRefused(`The identity token's "email" is not an email address.`);
  // jwtVerify required `exp` and checked that it is a number in the future.
  return { sub, email, name: claimText(payload, "name") || null, exp: payload.exp as number };
}

/** A claim as text, null when absent; throws when it is not text, too long or has control characters. */
function claimText(payload: Record<string, unknown>, claim: keyof typeof MAX_CLAIM): string | null {
  const value = payload[claim];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new IdentityRefused(`The identity token's "${claim}" must be a string.`);
  if (value.length > MAX_CLAIM[claim]) throw new IdentityRefused(`The identity token's "${claim}" is longer than ${MAX_CLAIM[claim]} characters.`);
  // PostgreSQL's text cannot hold NUL, and no id, address or name has control characters.
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new IdentityRefused(`The identity token's "${claim}" contains control characters.`);
  return value;
}

/** A sentence for the site's developer saying what is wrong with the token. */
function tokenRefusal(err: unknown): string {
  if (err instanceof errors.JWTExpired) return "The identity token has expired: sign a fresh one on your server for each page.";
  if (err instanceof errors.JOSEAlgNotAllowed) return "The identity token must be signed with HS256 and the inbox's identity secret.";
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return "The identity token's signature does not match: sign it on your server with this inbox's identity secret.";
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === "missing") return `The identity token has no "${err.claim}" claim (sub and exp are required).`;
    if (err.claim === "nbf") return "The identity token is not valid yet (nbf is in the future).";
    return `The identity token's "${err.claim}" claim is invalid.`;
  }
  return "The identity token is not a valid JWT (header.payload.signature, signed with HS256).";
}
