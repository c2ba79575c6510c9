import type { RangeChoice, Report } from "../../src/analytics/model.ts";
import { AppLayout } from "../layouts/app-layout.tsx";
import { AgentTable } from "./agent-table.tsx";
import { AttentionTable } from "./attention-table.tsx";
import { CountingNote } from "./counting-note.tsx";
import { CsatFigure } from "./csat-figure.tsx";
import { DurationCards } from "./duration-cards.tsx";
import { longDay } from "./format.ts";
import { PerDayFigure } from "./per-day-figure.tsx";
import { RangeForm } from "./range-form.tsx";
import { TicketFigure } from "./ticket-figure.tsx";
import { LabelFigure } from "./label-figure.tsx";

export interface AnalyticsPageProps {
  agent: { name: string; role: string };
  timeZone: string;
  /** What the form asked for, shown in it again. */
  choice: RangeChoice;
  /** Absent when the range was refused (then `error` says why). */
  report?: Report;
  error?: string;
}

/** Nothing at all happened in the range (the attention list is about now, not the range). */
function isEmpty(r: Report): boolean {
  return (
    r.perDay.every((d) => d.conversations === 0) &&
    !r.firstResponse.count &&
    !r.resolution.count &&
    !r.queueWait.count &&
    r.agents.every((a) => a.handled === 0) &&
    r.tickets.every((t) => t.tickets === 0) &&
    r.csat.ratings === 0 &&
    r.labels.every((l) => l.conversations === 0)
  );
}

/** /analytics: the range form, then every figure for that range, each with its CSV. */
export function AnalyticsPage(props: AnalyticsPageProps) {
  const r = props.report;
  return (
    <AppLayout title="Analytics" section="analytics" agent={props.agent} styles={["/public/analytics.css", "/public/labels.css"]}>
      <div class="analytics">
        <header class="analytics-head">
          <h1>Analytics</h1>
          {r ? (
            <p class="lead" safe>
              {`${longDay(r.range.from)} to ${longDay(r.range.to)} (${r.range.days} ${r.range.days === 1 ? "day" : "days"}), days in ${r.range.timeZone}`}
            </p>
          ) : (
            ""
          )}
        </header>
        <RangeForm choice={props.choice} error={props.error} />
        {r ? (
          <>
            {isEmpty(r) ? (
              <p class="analytics-empty" role="status">
                Nothing happened in these days: no conversations, replies, closes or tickets. Choose a longer range, or come back once customers have written.
              </p>
            ) : (
              ""
            )}
            <DurationCards range={r.range} firstResponse={r.firstResponse} resolution={r.resolution} queueWait={r.queueWait} />
            <PerDayFigure range={r.range} perDay={r.perDay} />
            <AgentTable range={r.range} agents={r.agents} />
            <AttentionTable range={r.range} total={r.attention.total} oldest={r.attention.oldest} timeZone={props.timeZone} />
            <TicketFigure range={r.range} tickets={r.tickets} />
            <CsatFigure range={r.range} csat={r.csat} />
            <LabelFigure range={r.range} labels={r.labels} />
          </>
        ) : (
          ""
        )}
        <CountingNote timeZone={props.timeZone} />
      </div>
    </AppLayout>
  );
}
