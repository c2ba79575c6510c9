export type LiveState = "connecting" | "live";

/**
 * Whether the page receives live updates, shown only when it does not: the page renders
 * "connecting" and the agents' socket pushes "live" (out of band) once it is subscribed, both
 * without words; public/live.js says "Reconnecting…" or "Offline" when the socket drops. The
 * state is in `data-state` for tests and styles. The inbox's header shows the team's state
 * instead (team-status.tsx).
 */
export function LiveStatus(props: { state: LiveState; oob?: boolean }) {
  return <span id="live-status" class="live-status" data-state={props.state} role="status" hx-swap-oob={props.oob ? "true" : undefined}></span>;
}
