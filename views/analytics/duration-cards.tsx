import type { DayRange, DurationStats, Figure } from "../../src/analytics/model.ts";
import { CsvLink } from "./csv-link.tsx";
import { formatCount, formatDuration } from "./format.ts";

interface Card {
  id: string;
  title: string;
  stats: DurationStats;
  /** What was measured, plural: "first responses". */
  counted: string;
  figure: Figure;
}

/** First response, resolution and queue wait: median and 90th percentile, and how many were measured. */
export function DurationCards(props: { range: DayRange; firstResponse: DurationStats; resolution: DurationStats; queueWait: DurationStats }) {
  const cards: Card[] = [
    { id: "first-response", title: "First response time", stats: props.firstResponse, counted: "first responses", figure: "first-responses" },
    { id: "resolution", title: "Resolution time", stats: props.resolution, counted: "closes", figure: "resolutions" },
    { id: "queue-wait", title: "Queue wait", stats: props.queueWait, counted: "claims and assignments from the queue", figure: "queue-waits" },
  ];
  return (
    <section class="duration-cards" aria-label="Times">
      {cards.map((card) => (
        <article class="stat-card" aria-labelledby={`${card.id}-title`}>
          <h2 id={`${card.id}-title`} safe>
            {card.title}
          </h2>
          <dl class="stat-values">
            <div>
              <dt>Median</dt>
              <dd class="stat-median" safe>
                {formatDuration(card.stats.median)}
              </dd>
            </div>
            <div>
              <dt>90th percentile</dt>
              <dd safe>{formatDuration(card.stats.p90)}</dd>
            </div>
          </dl>
          <p class="stat-count" safe>
            {card.stats.count ? `From ${formatCount(card.stats.count)} ${card.counted}.` : `No ${card.counted} in these days.`}
          </p>
          <CsvLink figure={card.figure} range={props.range} what={`${card.title.toLowerCase()} rows`} />
        </article>
      ))}
    </section>
  );
}
