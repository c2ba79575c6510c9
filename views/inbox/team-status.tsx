/**
 * The team's state in the inbox's header, as customers see it: how many agents are online (set to
 * Online with the inbox open, on any instance: src/availability), or that nobody is, and customers
 * therefore see the team as away. Empty until the agents' socket brings it (when the page follows
 * the inbox, src/inbox/team-status.tsx), then pushed to every inbox page whenever it changes
 * (src/realtime/presence-announcer.ts).
 */
export function TeamStatus(props: { online: number | null; oob?: boolean }) {
  const n = props.online;
  const text = n === null ? "" : n === 0 ? "Nobody online — customers see you as away" : `${n} online`;
  return (
    <span
      id="team-status"
      class="team-status"
      role="status"
      data-online={n === null ? undefined : String(n)}
      data-away={n === 0 ? "true" : undefined}
      hx-swap-oob={props.oob ? "true" : undefined}
      safe
    >
      {text}
    </span>
  );
}
