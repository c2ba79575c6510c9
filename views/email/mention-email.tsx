import { safeEmailBodyHtml } from "../../src/messages/render-body.ts";
import { EmailButton, EmailLayout } from "./email-layout.tsx";
import { clipText, oneLine } from "./email-text.ts";

/** The note in the email shows at most this much; the conversation has the rest. */
const NOTE_CHARS = 400;

export interface MentionEmailProps {
  /** Who wrote the note. */
  author: string;
  /** The private note (agents only: this email goes to an agent). */
  note: string;
  conversationUrl: string;
  profileUrl: string;
}

export const mentionSubject = (props: Pick<MentionEmailProps, "author">) => `${oneLine(props.author, 60)} mentioned you in a note`;

/** To an agent who was away when a teammate mentioned them in a private note. */
export function MentionEmail(props: MentionEmailProps) {
  return (
    <EmailLayout
      lang="en"
      title={mentionSubject(props)}
      footer={
        <p style="margin:0">
          You get this because you were away; <a href={props.profileUrl}>turn it off in your profile</a>.
        </p>
      }
    >
      <p style="margin:0 0 16px">
        <strong safe>{props.author}</strong> mentioned you in a private note:
      </p>
      <div style="margin:0 0 12px;padding:8px 12px 0;background:#fff8d6;border-radius:6px;overflow-wrap:anywhere">{safeEmailBodyHtml(clipText(props.note, NOTE_CHARS))}</div>
      <EmailButton href={props.conversationUrl}>Open the conversation</EmailButton>
    </EmailLayout>
  );
}

export function mentionText(props: MentionEmailProps): string {
  const quoted = clipText(props.note, NOTE_CHARS).replace(/^/gm, "> ");
  return `${props.author} mentioned you in a private note:\n\n${quoted}\n\nOpen the conversation: ${props.conversationUrl}\n\n-- \nYou get this because you were away; turn it off in your profile.\n${props.profileUrl}\n`;
}
