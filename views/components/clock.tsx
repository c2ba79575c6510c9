import { formatDateTime, formatTime } from "./dates.ts";

/** A moment as hours and minutes (UTC, in the account's locale), with the full instant in `datetime`. */
export function Clock(props: { at: Date }) {
  return (
    <time datetime={props.at.toISOString()} safe>
      {formatTime(props.at)}
    </time>
  );
}

/**
 * A moment as date and time to the minute (UTC, in the account's locale), with the full instant
 * in `datetime`; `zone` adds " UTC", `relative` lets public/live.js show it as "2 min ago".
 */
export function DateTime(props: { at: Date; class?: string; relative?: boolean; zone?: boolean }) {
  const text = formatDateTime(props.at);
  return (
    <time class={props.class} datetime={props.at.toISOString()} data-relative={props.relative} safe>
      {props.zone ? `${text} UTC` : text}
    </time>
  );
}
