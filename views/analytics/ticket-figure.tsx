import { TICKET_PRIORITIES, TICKET_STATUSES, type DayRange, type TicketCount } from "../../src/analytics/model.ts";
import { BarChart } from "./bar-chart.tsx";
import { FigureSection } from "./figure-section.tsx";
import { formatCount } from "./format.ts";

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const plural = (n: number) => (n === 1 ? "1 ticket" : `${formatCount(n)} tickets`);

/** Tickets created in the range by their status and priority now: a chart by status, the full grid beside it. */
export function TicketFigure(props: { range: DayRange; tickets: TicketCount[] }) {
  const count = (status: string, priority?: string) =>
    props.tickets.filter((t) => t.status === status && (!priority || t.priority === priority)).reduce((sum, t) => sum + t.tickets, 0);
  const total = props.tickets.reduce((sum, t) => sum + t.tickets, 0);
  return (
    <FigureSection id="tickets" title="Tickets by status and priority" figure="tickets" range={props.range} what="tickets by status and priority">
      {total === 0 ? (
        <p class="figure-empty">No tickets were created in these days.</p>
      ) : (
        <div class="figure-body">
          <BarChart
            id="tickets-chart"
            title="Tickets created in these days, by status"
            valueAxis="Tickets"
            categoryAxis="Status"
            bars={TICKET_STATUSES.map((s) => ({ label: capital(s), value: count(s), description: `${capital(s)}: ${plural(count(s))}` }))}
          />
          <div class="figure-table" tabindex="0" role="region" aria-labelledby="tickets-table-caption">
            <table>
              <caption id="tickets-table-caption">Tickets created in these days, by status and priority</caption>
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  {TICKET_PRIORITIES.map((p) => (
                    <th scope="col" class="num" safe>
                      {capital(p)}
                    </th>
                  ))}
                  <th scope="col" class="num">
                    All
                  </th>
                </tr>
              </thead>
              <tbody>
                {TICKET_STATUSES.map((s) => (
                  <tr>
                    <th scope="row" safe>
                      {capital(s)}
                    </th>
                    {TICKET_PRIORITIES.map((p) => (
                      <td class="num" safe>
                        {formatCount(count(s, p))}
                      </td>
                    ))}
                    <td class="num" safe>
                      {formatCount(count(s))}
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
