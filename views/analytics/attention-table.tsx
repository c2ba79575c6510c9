import type { AttentionRow, DayRange } from "../../src/analytics/model.ts";
import { FigureSection } from "./figure-section.tsx";
import { formatCount, localMinute } from "./format.ts";
import { contactDisplayName } from "../../src/contacts/display-name.ts";

/** Open conversations whose customer waits for an answer now, longest first (not bound to the range). */
export function AttentionTable(props: { range: DayRange; total: number; oldest: AttentionRow[]; timeZone: string }) {
  const more = props.total - props.oldest.length;
  return (
    <FigureSection id="attention" title="Needs attention now" figure="attention" range={props.range} what="conversations needing attention">
      {props.total === 0 ? (
        <p class="figure-empty">Every open conversation has an answer. Nobody is waiting.</p>
      ) : (
        <>
          <p class="figure-lead" safe>
            {props.total === 1 ? "1 open conversation is waiting for an answer." : `${formatCount(props.total)} open conversations are waiting for an answer, longest first.`}
          </p>
          <div class="table-scroll">
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">Customer</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last customer message</th>
                </tr>
              </thead>
              <tbody>
                {props.oldest.map((c) => (
                  <tr>
                    <th scope="row">
                      <a href={`/inbox/c/${c.id}`} safe>
                        {contactDisplayName({ id: c.contactId, name: c.contactName, email: c.contactEmail })}
                      </a>
                    </th>
                    <td safe>{c.status === "queued" ? "In the queue" : `With ${c.assigneeName ?? "a removed agent"}`}</td>
                    <td>
                      <time datetime={c.lastCustomerMessageAt.toISOString()} safe>
                        {localMinute(c.lastCustomerMessageAt, props.timeZone)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {more > 0 ? <p class="muted" safe>{`And ${formatCount(more)} more in the CSV.`}</p> : ""}
        </>
      )}
    </FigureSection>
  );
}
