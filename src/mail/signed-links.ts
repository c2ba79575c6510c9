// What a conversation email carries that must not be forged or outlive its purpose: the reply
// address (which conversation a reply by email belongs to), the "Continue the conversation" link
// (opens the hosted chat for one conversation's customer), the rating links (one per answer to
// "How was your conversation?") and the unsubscribe link. Each is an HMAC with the session secret,
// domain-separated, so none can be made without the server.
import { constantTimeEqual, hmacHex } from "../auth/tokens.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
/** A reply address works this long after the email that carried it: a customer may answer weeks later. */
export const REPLY_ADDRESS_LIFETIME_MS = 90 * DAY_MS;
/** The chat link logs its holder in as the customer: short, like a magic link. */
export const CHAT_LINK_LIFETIME_MS = 7 * DAY_MS;
/** A rating link only asks (it logs no one in): a customer may get round to it weeks later. */
export const RATING_LINK_LIFETIME_MS = 30 * DAY_MS;

const mac = (secret: string, purpose: string, value: string, chars: number) => hmacHex(secret, `${purpose}.v1.${value}`).slice(0, chars);
const hex = (uuid: string) => uuid.replaceAll("-", "").toLowerCase();
const uuidOf = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;

/**
 * `reply+{token}@{domain}`. The token is lower-case hex and dashes only: mail servers may change
 * the case of a local part, and some allow nothing fancier. It holds the conversation, the day it
 * expires (days since the epoch, base 36) and 96 bits of MAC.
 */
export function replyAddress(secret: string, domain: string, conversationId: string, now = Date.now()): string {
  const value = `${hex(conversationId)}-${Math.floor((now + REPLY_ADDRESS_LIFETIME_MS) / DAY_MS).toString(36)}`;
  return `reply+${value}-${mac(secret, "reply-address", value, 24)}@${domain}`;
}

export type ReplyAddressCheck = { ok: true; conversationId: string } | { ok: false; reason: "not_a_reply_address" | "bad_token" | "expired" };

/** Which conversation a recipient address stands for; why not, when it stands for none. */
export function readReplyAddress(secret: string, domain: string, address: string, now = Date.now()): ReplyAddressCheck {
  const match = /^reply\+([0-9a-f]{32})-([0-9a-z]{1,8})-([0-9a-f]{24})@(.+)$/.exec(address.trim().toLowerCase());
  if (!match || match[4] !== domain.toLowerCase()) return { ok: false, reason: "not_a_reply_address" };
  const [, conversation, day, signature] = match as unknown as [string, string, string, string];
  if (!constantTimeEqual(signature, mac(secret, "reply-address", `${conversation}-${day}`, 24))) return { ok: false, reason: "bad_token" };
  if (parseInt(day, 36) * DAY_MS <= now) return { ok: false, reason: "expired" };
  return { ok: true, conversationId: uuidOf(conversation) };
}

/** `{payload}.{mac}`: JSON claims, readable by anyone but changeable by no one without the secret. */
function sealed(secret: string, purpose: string, claims: Record<string, string | number>): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${payload}.${mac(secret, purpose, payload, 64)}`;
}

/** The claims of a genuine token made for `purpose`, unexpired at `now` (its `x`); null for anything else. */
function unsealed(secret: string, purpose: string, token: string, now: number): Record<string, unknown> | null {
  if (token.length > 500) return null;
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined || !constantTimeEqual(signature, mac(secret, purpose, payload, 64))) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as unknown;
    if (typeof claims !== "object" || claims === null) return null;
    const { x } = claims as Record<string, unknown>;
    return typeof x === "number" && x > now ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

interface ChatLinkClaims {
  conversationId: string;
  contactId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** The token of `/chat/{token}`: conversation, contact and expiry, readable but not changeable. */
export function chatLinkToken(secret: string, claims: Omit<ChatLinkClaims, "expiresAt">, now = Date.now()): string {
  return sealed(secret, "chat-link", { v: claims.conversationId, c: claims.contactId, x: now + CHAT_LINK_LIFETIME_MS });
}

/** The claims of a genuine, unexpired chat link; null for anything else. */
export function readChatLinkToken(secret: string, token: string, now = Date.now()): ChatLinkClaims | null {
  const claims = unsealed(secret, "chat-link", token, now);
  if (!claims || typeof claims.v !== "string" || typeof claims.c !== "string") return null;
  return { conversationId: claims.v, contactId: claims.c, expiresAt: claims.x as number };
}

export interface RatingLinkClaims {
  conversationId: string;
  contactId: string;
  /** The closed_at of the episode asked about (milliseconds): a reopen and a new close make the link stale. */
  episodeClosedAt: number;
  /** 1..5: the answer the link stands for, which the page it opens shows chosen. */
  rating: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** The token of `/rate/{token}`: one answer to "How was your conversation?" for one closed episode. */
export function ratingLinkToken(secret: string, claims: Omit<RatingLinkClaims, "expiresAt">, now = Date.now()): string {
  return sealed(secret, "rating-link", { v: claims.conversationId, c: claims.contactId, e: claims.episodeClosedAt, r: claims.rating, x: now + RATING_LINK_LIFETIME_MS });
}

/** The claims of a genuine, unexpired rating link; null for anything else. */
export function readRatingLinkToken(secret: string, token: string, now = Date.now()): RatingLinkClaims | null {
  const claims = unsealed(secret, "rating-link", token, now);
  if (!claims) return null;
  const { v, c, e, r, x } = claims;
  if (typeof v !== "string" || typeof c !== "string" || !Number.isSafeInteger(e) || !Number.isSafeInteger(r)) return null;
  return { conversationId: v, contactId: c, episodeClosedAt: e as number, rating: r as number, expiresAt: x as number };
}

/** The token of `/email/unsubscribe/{token}`: one contact, no expiry (an old email's link must still work). */
export function unsubscribeToken(secret: string, contactId: string): string {
  return `${hex(contactId)}-${mac(secret, "unsubscribe", hex(contactId), 32)}`;
}

/** The contact an unsubscribe token stands for; null when forged. */
export function readUnsubscribeToken(secret: string, token: string): string | null {
  const match = /^([0-9a-f]{32})-([0-9a-f]{32})$/.exec(token);
  if (!match || !constantTimeEqual(match[2]!, mac(secret, "unsubscribe", match[1]!, 32))) return null;
  return uuidOf(match[1]!);
}

/** The Message-ID every email of a conversation refers to, so mail clients thread them. */
export function conversationThreadId(conversationId: string, host: string): string {
  return `<conversation-${conversationId}@${host}>`;
}
