// Which of a mail's recipients is the conversation's reply address. The envelope (RCPT TO, or the
// recipient a mail service passes beside the webhook's body) is what the sender's server
// delivered to, so it is asked first; then the headers, for services that rewrite the envelope
// (To, Cc, Delivered-To, X-Original-To). Every candidate is still checked by its signature.
import type { AddressObject, ParsedMail } from "mailparser";
import { readReplyAddress, type ReplyAddressCheck } from "./signed-links.ts";

type Failure = Extract<ReplyAddressCheck, { ok: false }>;

/** Every address in a header value as mailparser gives it (address objects, groups, or plain strings). */
function addressesIn(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(addressesIn);
  if (typeof value === "string") return value.match(/[^\s<>,;"']+@[^\s<>,;"']+/g) ?? [];
  const object = value as Partial<AddressObject> & { address?: unknown; group?: unknown };
  if (Array.isArray(object.value)) return object.value.flatMap(addressesIn);
  return [...(typeof object.address === "string" ? [object.address] : []), ...addressesIn(object.group)];
}

/** The recipients to try, in order, each once. */
export function candidateRecipients(mail: ParsedMail, envelope: string[] = []): string[] {
  const fromHeaders = [mail.to, mail.cc, mail.headers.get("delivered-to"), mail.headers.get("x-original-to")].flatMap(addressesIn);
  return [...new Set([...envelope, ...fromHeaders].map((a) => a.trim().toLowerCase()).filter(Boolean))];
}

/**
 * The conversation of the first candidate that is a genuine, unexpired reply address. Without
 * one: why the first address that looked like one failed (a forged or expired token says more
 * than "not ours"), else not_a_reply_address.
 */
export function replyTarget(secret: string, domain: string, candidates: string[], now = Date.now()): ReplyAddressCheck {
  let failure: Failure = { ok: false, reason: "not_a_reply_address" };
  for (const address of candidates) {
    const check = readReplyAddress(secret, domain, address, now);
    if (check.ok) return check;
    if (failure.reason === "not_a_reply_address") failure = check;
  }
  return failure;
}
