// What one reply email says and carries: its parts (HTML and text), its links (signed, never the
// visitor's token) and its headers (threading, reply address, one-click unsubscribe). About a
// closed conversation not rated yet, it ends by asking for a rating: one signed link per answer.
import { ReplyEmail } from "../../views/email/reply-email.tsx";
import type { OutgoingMail } from "./mailer.ts";
import type { AgentReply, ReplyRecipient } from "./reply-email-queries.ts";
import { replyEmailStrings } from "./reply-email-strings.ts";
import { chatLinkToken, conversationThreadId, ratingLinkToken, replyAddress, unsubscribeToken } from "./signed-links.ts";

/** Each reply is shown up to this many characters (the "…" included); the rest is in the chat. */
export const MAX_REPLY_CHARS = 200;
/** The newest this many unread replies are shown; the email says how many earlier ones wait. */
export const MAX_REPLIES_SHOWN = 20;

export interface ReplyEmailLinks {
  secret: string;
  publicUrl: URL;
  /** INBOUND_EMAIL_DOMAIN: with it the email gets a Reply-To that leads back to the conversation. */
  inboundDomain: string | null;
}

export interface ReplyEmailInput {
  conversationId: string;
  recipient: ReplyRecipient & { email: string };
  /** The claimed replies, oldest first. */
  replies: AgentReply[];
  /** The claim's newest seq: it names the email (Message-ID), so a second try sends the same one. */
  claimedTo: number;
  /** The conversation's closed_at when it is closed and that episode has no rating: the email then asks for one. */
  unratedClosedAt?: Date | null;
}

/** At most MAX_REPLY_CHARS characters (code points: an emoji is never cut in half). */
export function cutReply(body: string): string {
  const chars = Array.from(body.trim());
  if (chars.length <= MAX_REPLY_CHARS) return chars.join("");
  return `${chars.slice(0, MAX_REPLY_CHARS - 1).join("").trimEnd()}…`;
}

/** Header text is one line: an inbox name with a line break must not add a header. */
const oneLine = (text: string) => text.replace(/[\r\n]+/g, " ").trim();

export async function replyEmail(input: ReplyEmailInput, links: ReplyEmailLinks): Promise<OutgoingMail> {
  const { conversationId, recipient } = input;
  const s = replyEmailStrings(recipient.locale);
  const inboxName = oneLine(recipient.inboxName);
  const { origin, hostname } = links.publicUrl;
  const shown = input.replies.slice(-MAX_REPLIES_SHOWN).map((reply) => ({ agentName: reply.agentName ?? s.unknownAgent, text: cutReply(reply.body) }));
  const earlier = input.replies.length - shown.length;
  const chatUrl = `${origin}/chat/${chatLinkToken(links.secret, { conversationId, contactId: recipient.contactId })}`;
  const unsubscribeUrl = `${origin}/email/unsubscribe/${unsubscribeToken(links.secret, recipient.contactId)}`;
  const replyTo = links.inboundDomain ? replyAddress(links.secret, links.inboundDomain, conversationId) : undefined;
  const closedAt = input.unratedClosedAt?.getTime();
  const ratingLinks =
    closedAt === undefined
      ? []
      : s.rateChoices.map((label, i) => {
          const token = ratingLinkToken(links.secret, { conversationId, contactId: recipient.contactId, episodeClosedAt: closedAt, rating: i + 1 });
          return { label, url: `${origin}/rate/${token}` };
        });

  const html = await (
    <ReplyEmail strings={s} inboxName={inboxName} replies={shown} earlier={earlier} chatUrl={chatUrl} unsubscribeUrl={unsubscribeUrl} replyByEmail={replyTo !== undefined} ratingLinks={ratingLinks} />
  );
  const text = [
    s.intro(inboxName),
    ...(earlier ? [s.earlierReplies(earlier)] : []),
    ...shown.map((reply) => `${reply.agentName}:\n${reply.text}`),
    `${s.continueConversation}: ${chatUrl}`,
    replyTo ? s.replyByEmail : s.replyByLink,
    ...(ratingLinks.length ? [[s.rateAsk, ...ratingLinks.map((link) => `${link.label}: ${link.url}`)].join("\n")] : []),
    `-- \n${s.why(inboxName)}\n${s.unsubscribe}: ${unsubscribeUrl}`,
  ].join("\n\n");

  return {
    to: recipient.email,
    subject: s.subject(inboxName),
    text: `${text}\n`,
    html,
    fromName: oneLine(recipient.senderName ?? "") || inboxName,
    replyTo,
    messageId: `<reply-${conversationId}-${input.claimedTo}@${hostname}>`,
    references: [conversationThreadId(conversationId, hostname)],
    unsubscribeUrl,
    language: s.lang,
  };
}
