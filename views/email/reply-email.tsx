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
    </EmailLayout>
  );
}
