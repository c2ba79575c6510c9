import type { MessageWithAuthor } from "../../src/messages/model.ts";
import { MessageItem } from "../conversations/message-item.tsx";

/** The conversation the ticket was made from: its newest messages, read-only, and the way to it in the inbox. */
export function TicketTranscript(props: { ticketId: string; conversationId: string | null; messages: MessageWithAuthor[]; messageCount: number }) {
  const titleId = `ticket-transcript-title-${props.ticketId}`;
  if (!props.conversationId) {
    return (
      <section class="ticket-section" aria-labelledby={titleId}>
        <h2 id={titleId}>Conversation</h2>
        <p class="muted">This ticket was not made from a conversation.</p>
      </section>
    );
  }
  const hidden = props.messageCount - props.messages.length;
  return (
    <section class="ticket-section" aria-labelledby={titleId}>
      <div class="ticket-section-head">
        <h2 id={titleId}>Conversation</h2>
        <a href={`/inbox/c/${props.conversationId}`}>Open in the inbox</a>
      </div>
      {hidden > 0 ? <p class="muted" safe>{`The ${props.messages.length} newest messages; ${hidden} earlier ones are in the inbox.`}</p> : ""}
      {props.messages.length ? (
        // Focusable so that keyboard users can scroll it (axe: scrollable-region-focusable).
        <div class="ticket-transcript" role="log" aria-labelledby={titleId} tabindex="0">
          {props.messages.map((message) => (
            <MessageItem message={message} />
          ))}
        </div>
      ) : (
        <p class="muted">No messages yet.</p>
      )}
    </section>
  );
}
