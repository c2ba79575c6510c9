// What receiving a reply by email can end in. A refusal has a code (for the webhook's JSON and the
// log) and a reason: the sentence the sender's mail server puts in its bounce, so the customer
// learns why their reply did not arrive. Reasons never repeat an address, a token or the text.
import { MAX_BODY_LENGTH } from "../messages/model.ts";

export type InboundRefusalCode =
  | "not_a_reply_address"
  | "bad_token"
  | "expired"
  | "unknown_conversation"
  | "sender_mismatch"
  | "auto_reply"
  | "too_large"
  | "too_long"
  | "empty"
  | "bad_text"
  | "unreadable";

export type InboundResult =
  | { ok: true; duplicate: boolean; conversationId: string }
  | { ok: false; code: InboundRefusalCode; reason: string };

export const INBOUND_REASONS: Record<InboundRefusalCode, string> = {
  not_a_reply_address: "This address does not accept mail: only replies to a conversation email are received here.",
  bad_token: "This reply address is not valid: reply to the conversation email you received.",
  expired: "This reply address has expired: open the conversation from a newer email, or write to us from our website.",
  unknown_conversation: "The conversation this reply belongs to no longer exists.",
  sender_mismatch: "Replies are accepted only from the email address the conversation email was sent to.",
  auto_reply: "Automatic replies (out of office, vacation notices) are not added to the conversation.",
  too_large: "The email is too large.",
  too_long: `The reply is longer than ${MAX_BODY_LENGTH} characters (without the quoted email): please send it in shorter parts.`,
  empty: "The reply has no text of its own (only quoted text, a signature or attachments).",
  bad_text: "The reply contains characters that cannot be stored.",
  unreadable: "The email could not be read.",
};

export function refused(code: InboundRefusalCode, reason = INBOUND_REASONS[code]): InboundResult {
  return { ok: false, code, reason };
}

/** The SMTP reply for a refusal: 552 for a message too large (RFC 5321 §4.5.3.1.10), 550 for the rest. */
export function smtpReplyCode(code: InboundRefusalCode): number {
  return code === "too_large" ? 552 : 550;
}
