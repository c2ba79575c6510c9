import { ByDay } from "../conversations/day-heading.tsx";

/**
 * Appends entries to an open conversation's transcript, out of band (the agents' socket, the reply
 * form's answer), each day's heading before its first entry. "Today" and "Yesterday" are as of
 * the render, unless `now` says otherwise.
 */
export function AppendToTranscript(props: { conversationId: string; entries: Array<{ at: Date; entry: JSX.Element }>; now?: Date }) {
  return (
    <div id={`messages-${props.conversationId}`} hx-swap-oob="beforeend">
      <ByDay conversationId={props.conversationId} now={props.now ?? new Date()} entries={props.entries} />
    </div>
  );
}
