import type { DayCount, DayRange } from "../../src/analytics/model.ts";
import { BarChart } from "./bar-chart.tsx";
import { FigureSection } from "./figure-section.tsx";
import { formatCount, longDay, shortDay } from "./format.ts";

const plural = (n: number) => (n === 1 ? "1 conversation" : `${formatCount(n)} conversations`);

/** Conversations started on each local day: the chart, and the same numbers as a table beside it. */
export function PerDayFigure(props: { range: DayRange; perDay: DayCount[] }) {
  const total = props.perDay.reduce((sum, d) => sum + d.conversations, 0);
  return (
    <FigureSection id="per-day" title="Conversations per day" figure="conversations-per-day" range={props.range} what="conversations per day">
      <p class="figure-lead" safe>
        {`${plural(total)} started in these ${props.perDay.length} days.`}
      </p>
      {total === 0 ? (
        <p class="figure-empty">No conversations were started in these days.</p>
      ) : (
        <div class="figure-body">
          <BarChart
            id="per-day-chart"
            title="Conversations started per day"
            valueAxis="Conversations"
            categoryAxis={`Day (${props.range.timeZone})`}
            bars={props.perDay.map((d) => ({ label: shortDay(d.day), value: d.conversations, description: `${longDay(d.day)}: ${plural(d.conversations)}` }))}
          />
          <div class="figure-table" tabindex="0" role="region" aria-labelledby="per-day-table-caption">
            <table>
              <caption id="per-day-table-caption">Conversations started per day</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col" class="num">
                    Conversations
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.perDay.map((d) => (
                  <tr>
                    <th scope="row">
                      <time datetime={d.day} safe>
                        {longDay(d.day)}
                      </time>
                    </th>
                    <td class="num" safe>
                      {formatCount(d.conversations)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </FigureSection>
  );
}
