import type { AgentRow, DayRange } from "../../src/analytics/model.ts";
import { FigureSection } from "./figure-section.tsx";
import { formatCount, formatDuration } from "./format.ts";

/** One row per agent: conversations handled in the range, their first responses and its median, what they hold open now. */
export function AgentTable(props: { range: DayRange; agents: AgentRow[] }) {
  return (
    <FigureSection id="agents" title="Agents" figure="agents" range={props.range} what="the agents table">
      {props.agents.length === 0 ? (
        <p class="figure-empty">No agents yet.</p>
      ) : (
        <div class="table-scroll" tabindex="0" role="region" aria-label="Agents table">
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col" class="num">
                  Conversations handled
                </th>
                <th scope="col" class="num">
                  First responses
                </th>
                <th scope="col" class="num">
                  Median first response
                </th>
                <th scope="col" class="num">
                  Open now
                </th>
              </tr>
            </thead>
            <tbody>
              {props.agents.map((a) => (
                <tr>
                  <th scope="row">
                    <span safe>{a.name}</span>
                    {a.deactivated ? <span class="muted"> (deactivated)</span> : ""}
                  </th>
                  <td class="num" safe>
                    {formatCount(a.handled)}
                  </td>
                  <td class="num" safe>
                    {formatCount(a.firstResponses)}
                  </td>
                  <td class="num" safe>
                    {formatDuration(a.medianFirstResponse)}
                  </td>
                  <td class="num" safe>
                    {formatCount(a.openNow)}
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
