import type { DayRange } from "../../src/analytics/model.ts";
import type { LabelCount } from "../../src/analytics/label-queries.ts";
import { LabelChip } from "../components/label-chip.tsx";
import { FigureSection } from "./figure-section.tsx";
import { formatCount } from "./format.ts";

/** Width of the longest bar, in the SVG's units. */
const BAR_WIDTH = 200;

/**
 * Conversations per label: a table of the labels (as chips) and their counts, each with a bar in
 * the label's colour (drawn for the eye; the number beside it is what screen readers read).
 */
export function LabelFigure(props: { range: DayRange; labels: LabelCount[] }) {
  const most = Math.max(1, ...props.labels.map((l) => l.conversations));
  return (
    <FigureSection id="labels" title="Conversations per label" figure="labels" range={props.range} what="conversations per label">
      {props.labels.length === 0 ? (
        <p class="figure-empty">
          There are no labels yet. Admins make them in <a href="/settings/labels">Settings, Labels</a>.
        </p>
      ) : (
        <div class="figure-table" tabindex="0" role="region" aria-labelledby="labels-table-caption">
          <table class="label-counts">
            <caption id="labels-table-caption">Conversations with each label that were active in these days</caption>
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col" class="num">
                  Conversations
                </th>
                <th scope="col">
                  <span class="visually-hidden">Share</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.labels.map((l) => (
                <tr>
                  <th scope="row">
                    <LabelChip label={l} />
                  </th>
                  <td class="num" safe>
                    {formatCount(l.conversations)}
                  </td>
                  <td>
                    <svg class="label-count-bar" aria-hidden="true" focusable="false" viewBox={`0 0 ${BAR_WIDTH} 10`} width={String(BAR_WIDTH)} height="10">
                      <rect width={String(Math.round((l.conversations / most) * BAR_WIDTH))} height="10" rx="2" fill={l.color} />
                    </svg>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </FigureSection>
  );
}
