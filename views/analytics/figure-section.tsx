import type { Children } from "@kitajs/html";
import type { DayRange, Figure } from "../../src/analytics/model.ts";
import { CsvLink } from "./csv-link.tsx";

/** One figure of the analytics page: its heading (which names the section) and the download of its rows. */
export function FigureSection(props: { id: string; title: string; figure: Figure; range: DayRange; what: string; children: Children }) {
  return (
    <section class="figure" aria-labelledby={`${props.id}-title`}>
      <div class="figure-head">
        <h2 id={`${props.id}-title`} safe>
          {props.title}
        </h2>
        <CsvLink figure={props.figure} range={props.range} what={props.what} />
      </div>
      {props.children}
    </section>
  );
}
