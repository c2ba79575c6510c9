/**
 * "The customer is typing…" in an open conversation. In the pane from the start (off), and
 * pushed out of band on, and again off.
 */
export function TypingPush(props: { conversationId: string; on: boolean; oob?: boolean }) {
  return (
    <div
      id={`typing-${props.conversationId}`}
      class="typing"
      data-on={props.on ? "true" : "false"}
      hx-swap-oob={props.oob ? "true" : undefined}
      aria-live="polite"
    >
      {props.on ? "The customer is typing…" : ""}
    </div>
  );
}

/**
 * "Seen": the customer has read the conversation up to `seq`. In the pane from the start (empty
 * until they read anything), and swapped out of band when they read further.
 */
export function SeenReceipt(props: { conversationId: string; seq: number; oob?: boolean }) {
  return (
    <div id={`seen-${props.conversationId}`} class="seen" data-seq={String(props.seq)} hx-swap-oob={props.oob ? "true" : undefined}>
      {props.seq > 0 ? "Seen" : ""}
    </div>
  );
}
