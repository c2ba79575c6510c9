// A reply by email (issue 14): the customer answered a conversation email, and the mail came
// back through our SMTP listener or a mail service's webhook. It lands in the conversation as the
// customer's message, through the same verb as the widget's (which reopens a closed conversation
// and tells the inbox and the widget live), once per Message-ID. A refused mail is stored nowhere.
import { createHash } from "node:crypto";
import type { ParsedMail } from "mailparser";
import { conversationDeps, type AppContext } from "../app-context.ts";
import { findContact } from "../contacts/queries.ts";
import { findConversation } from "../conversations/queries.ts";
import { customerSends } from "../conversations/service.ts";
import { storableText } from "../http/text-guard.ts";
import { findInbox } from "../inboxes/service.ts";
import { MAX_BODY_LENGTH, MessageRejected } from "../messages/model.ts";
import { isWidgetLocale } from "../widget/locales/index.ts";
import { refused, type InboundRefusalCode, type InboundResult } from "./inbound-model.ts";
import { candidateRecipients, replyTarget } from "./inbound-recipient.ts";
import { isAutomaticReply, parseMail, replyText } from "./inbound-text.ts";

export interface InboundEnvelope {
  /** RCPT TO, or the recipient a mail service names beside the raw mail. */
  recipients: string[];
}

/**
 * The message's clientId: the same Message-ID, delivered twice (a retry, two MX hosts, SMTP and
 * the webhook), is the same message, and the unique (conversation, client_id) index keeps one.
 * A mail without a Message-ID is known by its bytes.
 */
export function inboundClientId(mail: ParsedMail, raw: Buffer): string {
  const messageId = mail.messageId?.trim();
  return `email:${createHash("sha256").update(messageId ? messageId : raw).digest("hex")}`;
}

const AS_REFUSAL: Partial<Record<MessageRejected["code"], InboundRefusalCode>> = { empty: "empty", too_long: "too_long", bad_text: "bad_text" };

const sameAddress = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

export async function receiveReplyEmail(ctx: AppContext, raw: Buffer | string, envelope?: InboundEnvelope): Promise<InboundResult> {
  const result = await receive(ctx, typeof raw === "string" ? Buffer.from(raw) : raw, envelope);
  // The code only: never an address, a token or the text.
  if (result.ok) ctx.log.info("reply email received", { duplicate: result.duplicate });
  else ctx.log.info("reply email refused", { code: result.code });
  return result;
}

async function receive(ctx: AppContext, raw: Buffer, envelope?: InboundEnvelope): Promise<InboundResult> {
  const domain = ctx.config.email.inboundDomain;
  if (!domain) return refused("not_a_reply_address");
  if (raw.byteLength > ctx.config.limits.inboundEmailMaxBytes) return refused("too_large");
  let mail: ParsedMail;
  try {
    mail = await parseMail(raw);
  } catch {
    return refused("unreadable");
  }

  const target = replyTarget(ctx.sessionSecret, domain, candidateRecipients(mail, envelope?.recipients));
  if (!target.ok) return refused(target.reason);
  const db = ctx.database.db;
  const conversation = await findConversation(db, target.conversationId);
  const contact = conversation && (await findContact(db, conversation.contactId));
  const inbox = conversation && (await findInbox(db, conversation.inboxId));
  if (!conversation || !contact || !inbox) return refused("unknown_conversation");
  // The token says which conversation; the sender must be its customer (a forwarded email or a
  // colleague in Cc does not speak for them).
  if (!sameAddress(mail.from?.value[0]?.address, contact.email)) return refused("sender_mismatch");
  if (isAutomaticReply(mail)) return refused("auto_reply");

  const body = await replyText(mail);
  if (!body) return refused("empty");
  if (body.length > MAX_BODY_LENGTH) return refused("too_long");
  if (!storableText(body)) return refused("bad_text");
  try {
    const sent = await customerSends(conversationDeps(ctx), {
      inbox,
      contactId: contact.id,
      clientId: inboundClientId(mail, raw),
      body,
      locale: isWidgetLocale(contact.locale) ? contact.locale : undefined,
    });
    return { ok: true, duplicate: !sent.created, conversationId: sent.conversation.id };
  } catch (err) {
    // The checks above refuse these first; the verb's own word stands if its rules ever grow.
    const code = err instanceof MessageRejected ? AS_REFUSAL[err.code] : undefined;
    if (code) return refused(code);
    throw err;
  }
}
