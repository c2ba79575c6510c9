export type LiveState = "connecting" | "live";

const LABEL: Record<LiveState, string> = { connecting: "Connecting…", live: "Live" };

/**
 * Whether the inbox is receiving live updates. The page renders "connecting"; the agents' socket
 * pushes "live" (out of band) once it is subscribed; public/inbox.js shows "Reconnecting…" on a drop.
 */
export function LiveStatus(props: { state: LiveState; oob?: boolean }) {
  return (
    <span
      id="live-status"
      class="live-status"
      data-state={props.state}
      role="status"
      hx-swap-oob={props.oob ? "true" : undefined}
      safe
    >
      {LABEL[props.state]}
    </span>
  );
}
