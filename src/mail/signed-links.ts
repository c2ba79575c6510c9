// What a conversation email carries that must not be forged or outlive its purpose: the reply
// address (which conversation a reply by email belongs to), the "Continue the conversation" link
// (opens the hosted chat for one conversation's customer) and the unsubscribe link. Each is an
// HMAC with the session secret, domain-separated, so none can be made without the server.
import { constantTimeEqual, hmacHex } from "../auth/tokens.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
/** A reply address works this long after the email that carried it: a customer may answer weeks later. */
export const REPLY_ADDRESS_LIFETIME_MS = 90 * DAY_MS;
/** The chat link logs its holder in as the customer: short, like a magic link. */
export const CHAT_LINK_LIFETIME_MS = 7 * DAY_MS;

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

interface ChatLinkClaims {
  conversationId: string;
  contactId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** The token of `/chat/{token}`: conversation, contact and expiry, readable but not changeable. */
export function chatLinkToken(secret: string, claims: Omit<ChatLinkClaims, "expiresAt">, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ v: claims.conversationId, c: claims.contactId, x: now + CHAT_LINK_LIFETIME_MS })).toString("base64url");
  return `${payload}.${mac(secret, "chat-link", payload, 64)}`;
}

/** The claims of a genuine, unexpired chat link; null for anything else. */
export function readChatLinkToken(secret: string, token: string, now = Date.now()): ChatLinkClaims | null {
  if (token.length > 500) return null;
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined || !constantTimeEqual(signature, mac(secret, "chat-link", payload, 64))) return null;
  try {
    const { v, c, x } = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    if (typeof v !== "string" || typeof c !== "string" || typeof x !== "number" || x <= now) return null;
    return { conversationId: v, contactId: c, expiresAt: x };
  } catch {
    return null;
  }
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
