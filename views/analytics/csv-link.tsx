import type { DayRange, Figure } from "../../src/analytics/model.ts";

/** The download of a figure's rows for exactly the days on the page (dates pinned, not "last 7 days"). */
export function csvHref(figure: Figure, range: Pick<DayRange, "from" | "to">): string {
  return `/analytics/${figure}.csv?${new URLSearchParams({ range: "custom", from: range.from, to: range.to })}`;
}

/** "Download CSV" for one figure; `what` names it for screen readers, who hear many such links. */
export function CsvLink(props: { figure: Figure; range: DayRange; what: string }) {
  return (
    <a class="csv-link" href={csvHref(props.figure, props.range)} download="">
      Download CSV<span class="visually-hidden" safe>{` of ${props.what}`}</span>
    </a>
  );
}
