import { formatDay } from "../components/dates.ts";

/** The UTC day (YYYY-MM-DD) of a moment, as the inbox shows every time. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** "Today", "Yesterday" or the date, for the UTC day `day` (YYYY-MM-DD). */
export function dayLabel(day: string, now: Date): string {
  if (day === dayOf(now)) return "Today";
  if (day === dayOf(new Date(now.getTime() - 86_400_000))) return "Yesterday";
  return formatDay(day);
}

/**
 * Starts a day in a conversation's transcript. Its id is the same wherever and whenever it is
 * rendered, so a push or an answer can carry the heading of its day and the page keeps one of each
 * (public/conversation.js drops a copy of an id it shows already).
 */
export function DayHeading(props: { conversationId: string; day: string; now: Date }) {
  return (
    <h3 id={`day-${props.conversationId}-${props.day}`} class="day-heading" data-day={props.day}>
      <time datetime={props.day} safe>
        {dayLabel(props.day, props.now)}
      </time>
    </h3>
  );
}

/** A transcript's entries (in order) with the heading of each day before its first entry. */
export function ByDay(props: { conversationId: string; now: Date; entries: Array<{ at: Date; entry: JSX.Element }> }) {
  let day = "";
  return (
    <>
      {props.entries.map(({ at, entry }) => {
        const entryDay = dayOf(at);
        const heading = entryDay !== day ? <DayHeading conversationId={props.conversationId} day={entryDay} now={props.now} /> : "";
        day = entryDay;
        return (
          <>
            {heading}
            {entry}
          </>
        );
      })}
    </>
  );
}
