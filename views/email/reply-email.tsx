import type { ReplyEmailStrings } from "../../src/mail/reply-email-strings.ts";
import { safeEmailBodyHtml } from "../../src/messages/render-body.ts";
import { EmailButton, EmailLayout } from "./email-layout.tsx";

export interface ReplyEmailProps {
  strings: ReplyEmailStrings;
  inboxName: string;
  /** Oldest first, each already cut to length; every string here is escaped when rendered (a reply's text as rendered Markdown). */
  replies: Array<{ agentName: string; text: string }>;
  /** Unread replies older than those shown. */
  earlier: number;
  chatUrl: string;
  unsubscribeUrl: string;
  /** The email has a reply address: answering it reaches the conversation. */
  replyByEmail: boolean;
  /** "How was your conversation?": one signed link per answer, Terrible to Great; none when not asked. */
  ratingLinks: Array<{ label: string; url: string }>;
}

/** The rating question at the end: each answer a link to a page that confirms it (mail scanners open links). */
function RatingQuestion(props: { ask: string; links: ReplyEmailProps["ratingLinks"] }) {
  return (
    <div style="margin:24px 0 0;padding:16px 0 0;border-top:1px solid #e4e4e7">
      <p style="margin:0 0 8px;font-weight:600" safe>
        {props.ask}
      </p>
      <p style="margin:0">
        {props.links.map((link) => (
          <a href={link.url} style="display:inline-block;margin:0 8px 8px 0;padding:6px 12px;border:1px solid #d4d4d8;border-radius:6px;color:#18181b;text-decoration:none" safe>
            {link.label}
          </a>
        ))}
      </p>
    </div>
  );
}

/** The HTML part of a reply email (the plain-text part is built beside it, in reply-email-content.ts). */
export function ReplyEmail(props: ReplyEmailProps) {
  const s = props.strings;
  return (
    <EmailLayout
      lang={s.lang}
      title={s.subject(props.inboxName)}
      footer={
        <>
          <p style="margin:0 0 4px" safe>
            {s.why(props.inboxName)}
          </p>
          <p style="margin:0">
            <a href={props.unsubscribeUrl} style="color:#52525b" safe>
              {s.unsubscribe}
            </a>
          </p>
        </>
      }
    >
      <p style="margin:0 0 16px" safe>
        {s.intro(props.inboxName)}
      </p>
      {props.earlier ? (
        <p style="margin:0 0 12px;font-size:14px;color:#52525b" safe>
          {s.earlierReplies(props.earlier)}
        </p>
      ) : (
        ""
      )}
      {props.replies.map((reply) => (
        <div style="border-left:3px solid #d4d4d8;padding:4px 0 4px 12px;margin:0 0 12px">
          <p style="margin:0;font-size:14px;font-weight:600" safe>
            {reply.agentName}
          </p>
          <div style="margin:4px 0 0;overflow-wrap:anywhere">{safeEmailBodyHtml(reply.text)}</div>
        </div>
      ))}
      <EmailButton href={props.chatUrl}>
        <span safe>{s.continueConversation}</span>
      </EmailButton>
      <p style="margin:0;font-size:14px;color:#52525b" safe>
        {props.replyByEmail ? s.replyByEmail : s.replyByLink}
      </p>
      {props.ratingLinks.length ? <RatingQuestion ask={s.rateAsk} links={props.ratingLinks} /> : ""}
    </EmailLayout>
  );
}
