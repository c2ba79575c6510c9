import type { Children } from "@kitajs/html";

/** Appends its children to an open conversation's transcript, out of band (agents' socket). */
export function AppendToTranscript(props: { conversationId: string; children: Children }) {
  return (
    <div id={`messages-${props.conversationId}`} hx-swap-oob="beforeend">
      {props.children}
    </div>
  );
}
