import type { Csat, CsatCounts, DayRange } from "../../src/analytics/model.ts";
import { RATING_LABELS } from "../../src/satisfaction/model.ts";
import { BarChart } from "./bar-chart.tsx";
import { csvHref } from "./csv-link.tsx";
import { FigureSection } from "./figure-section.tsx";
import { formatCount, longDay } from "./format.ts";

const plural = (n: number) => (n === 1 ? "1 rating" : `${formatCount(n)} ratings`);
/** "80%" of good ratings, or a dash without any. */
const percent = (c: CsatCounts) => (c.share === null ? "–" : `${Math.round(c.share * 100)}%`);

/** One table of CSAT rows (per day or per agent): the share good, the count, and each value 1..5. */
function CsatTable(props: { id: string; caption: string; head: string; rows: { name: string; day?: string; counts: CsatCounts }[] }) {
  return (
    <div class="figure-table" tabindex="0" role="region" aria-labelledby={`${props.id}-caption`}>
      <table>
        <caption id={`${props.id}-caption`} safe>
          {props.caption}
        </caption>
        <thead>
          <tr>
            <th scope="col" safe>
              {props.head}
            </th>
            <th scope="col" class="num">
              Good
            </th>
            <th scope="col" class="num">
              Ratings
            </th>
            {RATING_LABELS.map((label) => (
              <th scope="col" class="num">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <th scope="row">
                {r.day ? (
                  <time datetime={r.day} safe>
                    {r.name}
                  </time>
                ) : (
                  <span safe>{r.name}</span>
                )}
              </th>
              <td class="num" safe>
                {percent(r.counts)}
              </td>
              <td class="num" safe>
                {formatCount(r.counts.ratings)}
              </td>
              {r.counts.distribution.map((n) => (
                <td class="num" safe>
                  {formatCount(n)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Satisfaction (CSAT): the share of good ratings (Good or Great) among the ratings customers gave in
 * the range, how they spread over the five choices, and the same per agent (the conversation's
 * assignee when it closed) and per day. Each table downloads as CSV.
 */
export function CsatFigure(props: { range: DayRange; csat: Csat }) {
  const c = props.csat;
  return (
    <FigureSection id="csat" title="Satisfaction (CSAT)" figure="satisfaction" range={props.range} what="satisfaction ratings per day">
      {c.ratings === 0 ? (
        <p class="figure-empty">No conversations were rated in these days.</p>
      ) : (
        <>
          <p class="figure-lead csat-share" safe>
            {`${percent(c)} good (${formatCount(c.good)} of ${plural(c.ratings)} were Good or Great).`}
          </p>
          <div class="figure-body">
            <BarChart
              id="csat-chart"
              title="Ratings given in these days, by choice"
              valueAxis="Ratings"
              categoryAxis="Rating"
              bars={RATING_LABELS.map((label, i) => ({ label, value: c.distribution[i]!, description: `${label}: ${plural(c.distribution[i]!)}` }))}
            />
            <CsatTable
              id="csat-agents"
              caption="Ratings per agent (assigned when the conversation closed)"
              head="Agent"
              rows={c.perAgent.map((a) => ({ name: a.agentName ?? "No agent", counts: a }))}
            />
          </div>
          <p>
            <a class="csv-link" href={csvHref("satisfaction-agents", props.range)} download="">
              Download CSV<span class="visually-hidden"> of satisfaction ratings per agent</span>
            </a>
          </p>
          <CsatTable
            id="csat-days"
            caption="Ratings per day"
            head="Day"
            rows={c.perDay
              .filter((d) => d.ratings > 0)
              .map((d) => ({ name: longDay(d.day), day: d.day, counts: d }))}
          />
        </>
      )}
    </FigureSection>
  );
}
