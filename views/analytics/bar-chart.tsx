// A bar chart drawn on the server as SVG: a pure function of its numbers, no script. It is an
// image to screen readers (role="img", named by its <title>); the table beside it carries the
// same numbers for them.

export interface Bar {
  /** Under the bar (may be thinned out when there are many bars). */
  label: string;
  value: number;
  /** The bar's tooltip and accessible text: "Mon 3 Mar 2025: 12 conversations". */
  description: string;
}

export interface BarChartProps {
  /** Unique on the page: the ids of the title and description derive from it. */
  id: string;
  title: string;
  /** What the bars count, for the vertical axis ("Conversations"). */
  valueAxis: string;
  /** What the bars are, for the horizontal axis ("Day"). */
  categoryAxis: string;
  bars: Bar[];
}

const WIDTH = 640;
const HEIGHT = 260;
const MARGIN = { top: 22, right: 12, bottom: 50, left: 52 };
/** Width of a digit of a value label (11px text), to tell whether labels fit above their bars. */
const DIGIT_WIDTH = 7;
/** Category labels along the bottom, at most. */
const MAX_CATEGORY_LABELS = 12;

/**
 * Five gridlines from 0 up, a "nice" whole step apart (1, 2, 3, 4, 5, 6 or 8 times a power of
 * ten), the top one at or above `max`: counts get whole-number ticks.
 */
export function ticks(max: number): number[] {
  const target = Math.max(1, max / 4);
  const power = 10 ** Math.floor(Math.log10(target));
  const step = [1, 2, 3, 4, 5, 6, 8, 10].map((m) => m * power).find((s) => s >= target)!;
  return [0, 1, 2, 3, 4].map((i) => i * step);
}

const round = (n: number) => Math.round(n * 10) / 10;

export function BarChart(props: BarChartProps) {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const scale = ticks(Math.max(0, ...props.bars.map((b) => b.value)));
  const top = scale.at(-1)!;
  const slot = plotWidth / Math.max(1, props.bars.length);
  const barWidth = Math.min(48, Math.max(1, slot * 0.75));
  const labelEvery = Math.ceil(props.bars.length / MAX_CATEGORY_LABELS);
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  // Values are written above the bars when they fit side by side; otherwise each bar's tooltip and
  // the table beside the chart carry them.
  const widest = Math.max(1, ...props.bars.map((b) => String(b.value).length));
  const valueLabels = slot >= widest * DIGIT_WIDTH + 4;
  const titleId = `${props.id}-title`;
  const descId = `${props.id}-desc`;
  const total = props.bars.reduce((sum, b) => sum + b.value, 0);
  return (
    <svg class="bar-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${titleId} ${descId}`} preserveAspectRatio="xMidYMid meet">
      <title id={titleId} safe>
        {props.title}
      </title>
      <desc id={descId} safe>
        {`${props.bars.length === 1 ? "1 bar" : `${props.bars.length} bars`}, ${total} in all, highest ${Math.max(0, ...props.bars.map((b) => b.value))}. The table beside the chart lists every value.`}
      </desc>
      <g class="chart-grid" aria-hidden="true">
        {scale.map((tick) => (
          <>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={round(y(tick))} y2={round(y(tick))} />
            <text class="chart-tick" x={MARGIN.left - 6} y={round(y(tick)) + 4} text-anchor="end" safe>
              {String(tick)}
            </text>
          </>
        ))}
      </g>
      <g class="chart-bars">
        {props.bars.map((bar, i) => {
          const x = MARGIN.left + i * slot + (slot - barWidth) / 2;
          const height = (bar.value / top) * plotHeight;
          return (
            <g class="chart-bar">
              <title safe>{bar.description}</title>
              <rect x={round(x)} y={round(y(bar.value))} width={round(barWidth)} height={round(height)} />
              {valueLabels ? (
                <text class="chart-value" x={round(x + barWidth / 2)} y={round(y(bar.value)) - 4} text-anchor="middle" safe>
                  {String(bar.value)}
                </text>
              ) : (
                ""
              )}
              {i % labelEvery === 0 ? (
                <text class="chart-label" x={round(x + barWidth / 2)} y={MARGIN.top + plotHeight + 16} text-anchor="middle" safe>
                  {bar.label}
                </text>
              ) : (
                ""
              )}
            </g>
          );
        })}
      </g>
      <line class="chart-axis" x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={MARGIN.top + plotHeight} y2={MARGIN.top + plotHeight} />
      <text class="chart-axis-title" x={MARGIN.left + plotWidth / 2} y={HEIGHT - 8} text-anchor="middle" safe>
        {props.categoryAxis}
      </text>
      <text class="chart-axis-title" x={14} y={MARGIN.top + plotHeight / 2} text-anchor="middle" transform={`rotate(-90 14 ${MARGIN.top + plotHeight / 2})`} safe>
        {props.valueAxis}
      </text>
    </svg>
  );
}
