import type { Viewer } from "../../src/collision/viewers.ts";

/**
 * Who else has the conversation open ("Ben is viewing") or is typing a reply ("Ben is typing…"),
 * in its header. The same bytes go to every agent viewing it; each page hides its own agent's
 * entry (public/conversation.js, by data-agent-id), as the render is not per viewer.
 */
export function ViewersBar(props: { conversationId: string; viewers: Viewer[]; oob?: boolean }) {
  return (
    <p id={`conv-viewers-${props.conversationId}`} class="conversation-viewers" aria-live="polite" hx-swap-oob={props.oob ? "true" : undefined}>
      {props.viewers.map((v) => (
        <span class="viewer" data-agent-id={v.agentId} data-typing={v.typing ? "true" : undefined} safe>
          {v.typing ? `${v.name} is typing…` : `${v.name} is viewing`}
        </span>
      ))}
    </p>
  );
}

/**
 * Above the Send button: a colleague's reply landed while this agent was typing one. Empty in the
 * fresh reply form; public/conversation.js asks for it (GET /inbox/c/:id/replied-notice) when it
 * sees the colleague's message arrive while the reply field holds text.
 */
export function RepliedNotice(props: { conversationId: string; agentName?: string | null }) {
  const id = `replied-notice-${props.conversationId}`;
  if (props.agentName === undefined) return <p id={id} class="replied-notice" hidden></p>;
  return (
    <p id={id} class="replied-notice" role="alert" safe>
      {`${props.agentName ?? "A colleague"} replied while you were typing — review before sending`}
    </p>
  );
}
