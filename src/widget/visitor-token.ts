import { constantTimeEqual, hmacHex } from "../auth/tokens.ts";
import { isWidgetLocale, type WidgetLocale } from "./locales/index.ts";

/** A visitor stays the same visitor for this long without coming back; each visit renews it. */
export const VISITOR_TOKEN_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

export interface VisitorClaims {
  inboxId: string;
  contactId: string;
  /** The visitor's language, so the bot answers in it without reading the database. */
  locale: WidgetLocale;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

// Domain-separated from session cookies, which are signed with the same secret.
const sign = (secret: string, payload: string) => hmacHex(secret, `visitor-token.v1.${payload}`);

/**
 * `v1.<payload>.<signature>`: the payload (inbox, contact, locale, expiry) is readable by its
 * holder but cannot be changed, so a token reaches exactly one contact of one inbox. The locale
 * (`l`) is optional: tokens issued before it existed stay valid, and speak English.
 */
export function signVisitorToken(
  secret: string,
  claims: Omit<VisitorClaims, "expiresAt" | "locale"> & { locale?: WidgetLocale; expiresAt?: number | null },
  now = Date.now(),
): string {
  // `expiresAt` only shortens the lifetime (the identity token's expiry), never lengthens it.
  const expiresAt = Math.min(now + VISITOR_TOKEN_LIFETIME_MS, claims.expiresAt ?? Infinity);
  const body = { i: claims.inboxId, c: claims.contactId, ...(claims.locale ? { l: claims.locale } : {}), x: expiresAt };
  const payload = Buffer.from(JSON.stringify(body)).toString("base64url");
  return `v1.${payload}.${sign(secret, payload)}`;
}

/** The claims of a genuine, unexpired token; null for anything else. */
export function verifyVisitorToken(secret: string, token: unknown, now = Date.now()): VisitorClaims | null {
  if (typeof token !== "string" || token.length > 1000) return null;
  const [version, payload, signature] = token.split(".");
  if (version !== "v1" || !payload || !signature || !constantTimeEqual(signature, sign(secret, payload))) return null;
  try {
    const { i, c, l, x } = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    if (typeof i !== "string" || typeof c !== "string" || typeof x !== "number" || x <= now) return null;
    // A locale we no longer (or never) had is not a reason to refuse the visitor: English then.
    return { inboxId: i, contactId: c, locale: isWidgetLocale(l) ? l : "en", expiresAt: x };
  } catch {
    return null;
  }
}
