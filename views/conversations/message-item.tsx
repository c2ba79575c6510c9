import type { MessageWithAuthor, Sender } from "../../src/messages/model.ts";
import { safeBodyHtml } from "../../src/messages/render-body.ts";
import { AppendToTranscript } from "../components/append-to-transcript.tsx";
import { Clock } from "../components/clock.tsx";
import { MessageFiles } from "./message-files.tsx";

const WHO: Record<Sender, string> = { customer: "Customer", agent: "Agent", bot: "Bot", system: "SupportDesk" };

/** Who wrote a message, as the transcript (and a queued row's preview) names them. */
export function senderName(m: { sender: Sender; agentName: string | null }, systemName = WHO.system): string {
  if (m.sender === "agent") return m.agentName ?? WHO.agent;
  return m.sender === "system" ? systemName : WHO[m.sender];
}

/**
 * One message in the agent's conversation pane. The same markup is the page, the fragment, the
 * live push and the catch-up; `id="msg-…"` lets the inbox drop a copy that arrives twice, and
 * `data-agent-id` lets each browser mark its own messages ("mine") without per-viewer rendering.
 * The body is block content (paragraphs, lists, code blocks): a <div>, not a <p>.
 */
export function MessageItem(props: { message: MessageWithAuthor; /** The agent the page is for: marks their own messages. */ viewerId?: string }) {
  const m = props.message;
  const own = props.viewerId !== undefined && m.sender === "agent" && m.agentId === props.viewerId;
  return (
    <article
      id={`msg-${m.id}`}
      class={`message message-${m.sender}`}
      data-seq={String(m.seq)}
      data-sender={m.sender}
      data-agent-id={m.agentId ?? undefined}
      data-own={own ? "true" : undefined}
      data-at={m.createdAt.toISOString()}
    >
      <header>
        <span class="message-author" safe>
          {senderName(m)}
        </span>
        <Clock at={m.createdAt} />
      </header>
      {/* Links and the Markdown subset, rendered and escaped by src/messages/render-body.ts. */}
      {m.body ? <div class="message-body">{safeBodyHtml(m.body)}</div> : ""}
      {m.attachments?.length ? <MessageFiles files={m.attachments} /> : ""}
    </article>
  );
}

/**
 * Appends messages to an open conversation pane, out of band, each after the heading of its day
 * (the agents' socket: live, replayed, repaired; and the reply form's answer, which marks the
 * sender's own with `viewerId`).
 */
export function MessagesPush(props: { conversationId: string; messages: MessageWithAuthor[]; viewerId?: string; now?: Date }) {
  const entries = props.messages.map((m) => ({ at: m.createdAt, entry: <MessageItem message={m} viewerId={props.viewerId} /> }));
  return <AppendToTranscript conversationId={props.conversationId} entries={entries} now={props.now} />;
}
