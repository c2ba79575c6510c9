/** "2026-11-21 14:03": a moment to the minute, in UTC (like every time the inbox shows). */
function utcMinute(at: Date): string {
  return at.toISOString().slice(0, 16).replace("T", " ");
}

/** A moment as hours and minutes (UTC), with the full instant in `datetime`. */
export function Clock(props: { at: Date }) {
  const iso = props.at.toISOString();
  return (
    <time datetime={iso} safe>
      {iso.slice(11, 16)}
    </time>
  );
}

/**
 * A moment as date and time to the minute (UTC), with the full instant in `datetime`; `zone`
 * adds " UTC", `relative` lets public/live.js show it as "2 min ago".
 */
export function DateTime(props: { at: Date; class?: string; relative?: boolean; zone?: boolean }) {
  return (
    <time class={props.class} datetime={props.at.toISOString()} data-relative={props.relative} safe>
      {props.zone ? `${utcMinute(props.at)} UTC` : utcMinute(props.at)}
    </time>
  );
}
