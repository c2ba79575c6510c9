import { safeEmailBodyHtml } from "../../src/messages/render-body.ts";
import { EmailButton, EmailLayout } from "./email-layout.tsx";
import { clipText, oneLine } from "./email-text.ts";

/** Each message in the email shows at most this much; the conversation has the rest. */
export const ALERT_MESSAGE_CHARS = 200;

export interface AgentMessageEmailProps {
  /** The customer's display name (src/contacts/display-name.ts). */
  customer: string;
  inbox: string;
  /** The newest unread customer messages, oldest first. */
  messages: string[];
  /** Unread customer messages in all (more than `messages` when some are left out). */
  total: number;
  conversationUrl: string;
  profileUrl: string;
}

export function agentMessageSubject(props: Pick<AgentMessageEmailProps, "customer" | "inbox">): string {
  return `New message from ${oneLine(props.customer, 60)} in ${oneLine(props.inbox, 60)}`;
}

const earlierLine = (props: AgentMessageEmailProps) => {
  const earlier = props.total - props.messages.length;
  return earlier > 0 ? `${earlier} earlier ${earlier === 1 ? "message is" : "messages are"} in the conversation.` : "";
};

const WHY = "You get this because you were away; turn it off in your profile.";

/** To an agent who had no inbox open for 10 minutes: a customer wrote in one of their conversations. */
export function AgentMessageEmail(props: AgentMessageEmailProps) {
  const title = agentMessageSubject(props);
  return (
    <EmailLayout
      lang="en"
      title={title}
      footer={
        <p style="margin:0">
          You get this because you were away; <a href={props.profileUrl}>turn it off in your profile</a>.
        </p>
      }
    >
      <p style="margin:0 0 16px">
        <strong safe>{props.customer}</strong> wrote in <span safe>{props.inbox}</span>:
      </p>
      {/* Rendered as the inbox shows it (links, the Markdown subset, escaped); each block ends with an 8px margin. */}
      {props.messages.map((body) => (
        <div style="margin:0 0 12px;padding:8px 12px 0;background:#f4f4f5;border-radius:6px;overflow-wrap:anywhere">{safeEmailBodyHtml(clipText(body, ALERT_MESSAGE_CHARS))}</div>
      ))}
      {earlierLine(props) ? (
        <p style="margin:0;color:#52525b" safe>
          {earlierLine(props)}
        </p>
      ) : (
        ""
      )}
      <EmailButton href={props.conversationUrl}>Open the conversation</EmailButton>
    </EmailLayout>
  );
}

export function agentMessageText(props: AgentMessageEmailProps): string {
  const quoted = props.messages.map((body) => clipText(body, ALERT_MESSAGE_CHARS).replace(/^/gm, "> ")).join("\n\n");
  const earlier = earlierLine(props);
  return `${props.customer} wrote in ${props.inbox}:\n\n${quoted}\n\n${earlier ? `${earlier}\n\n` : ""}Open the conversation: ${props.conversationUrl}\n\n-- \n${WHY}\n${props.profileUrl}\n`;
}
