// The customer's own words in a reply: the quoted email and the signature go (email-reply-parser,
// which Crisp runs on its inbound mail), whatever the mail client (Gmail, Outlook, Apple Mail...).
// Both libraries are loaded at the first inbound mail, not at start: with their charset tables they
// were about 13 MiB of a start's memory (compiled binary), and most installs never receive email.
import type { ParsedMail } from "mailparser";

/**
 * The parser reads at most this much of the text. Some of its patterns take time that grows
 * faster than the text on crafted input (a second per 100,000 characters at worst); the reply is
 * at the top, and what is cut off is quoted history. A reply longer than this is refused anyway
 * (messages are far shorter), so nothing the customer wrote is cut silently.
 */
export const MAX_TEXT_TO_PARSE = 100_000;

/** What mailparser is told, for every parse of an inbound mail: no work on HTML nobody renders. */
const PARSE_OPTIONS = { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true } as const;

/** The mail as mailparser reads it, with PARSE_OPTIONS. */
export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  const { simpleParser } = await import("mailparser");
  return simpleParser(raw, PARSE_OPTIONS);
}

/**
 * An out-of-office notice or other automatic answer (RFC 3834's Auto-Submitted, and the headers
 * Exchange and older vacation programs set): it is no reply, and landing it would reopen the
 * conversation for nothing.
 */
export function isAutomaticReply(mail: ParsedMail): boolean {
  const header = (name: string) => {
    const value = mail.headers.get(name);
    return typeof value === "string" ? value.trim().toLowerCase() : value === undefined ? null : "";
  };
  const autoSubmitted = header("auto-submitted");
  if (autoSubmitted !== null && autoSubmitted !== "no") return true;
  if (header("x-autoreply") !== null || header("x-autorespond") !== null) return true;
  return ["auto_reply", "bulk", "junk", "list"].includes(header("precedence") ?? "");
}

/** The text part; without one, the HTML as text. */
async function bodyText(mail: ParsedMail): Promise<string> {
  if (mail.text?.trim()) return mail.text;
  if (!mail.html) return "";
  // mailparser turns HTML into text for an HTML-only message, but not for an HTML part of a
  // multipart/alternative that lacks its text part: parsing the HTML alone gets its conversion.
  const alone = await parseMail(Buffer.from(`Content-Type: text/html; charset=utf-8\r\n\r\n${mail.html}`));
  return alone.text ?? "";
}

/** The reply without quoted history and signature, trimmed; "" when nothing of its own is left. */
export async function replyText(mail: ParsedMail): Promise<string> {
  const text = (await bodyText(mail)).replace(/\r\n?/g, "\n").slice(0, MAX_TEXT_TO_PARSE);
  const { default: EmailReplyParser } = await import("email-reply-parser");
  const visible = new EmailReplyParser().parseReply(text);
  return visible
    .replace(/[ \t\u00a0]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
