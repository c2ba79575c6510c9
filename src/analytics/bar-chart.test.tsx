import { describe, expect, test } from "bun:test";
import { BarChart, ticks } from "../../views/analytics/bar-chart.tsx";

const bars = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `d${i}`, value: i, description: `day ${i}: ${i}` }));
const count = (html: string, pattern: RegExp) => html.match(pattern)?.length ?? 0;

describe("the server-drawn bar chart", () => {
  test("an image named by its title and description, one bar with its value per category", async () => {
    const html = await BarChart({ id: "c", title: "Per <day>", valueAxis: "Conversations", categoryAxis: "Day", bars: bars(7) });
    expect(html).toStartWith('<svg class="bar-chart" viewBox="0 0 640 260" role="img" aria-labelledby="c-title c-desc"');
    expect(html).toContain('<title id="c-title">Per &lt;day&gt;</title>');
    expect(count(html, /<rect /g)).toBe(7);
    expect(count(html, /class="chart-value"/g)).toBe(7);
    expect(html).toContain("<title>day 6: 6</title>");
    expect(html).toContain(">Conversations</text>");
    expect(html).toContain(">Day</text>");
  });

  test("values that would overlap are left to the tooltips and the table", async () => {
    const wide = bars(30).map((b) => ({ ...b, value: 1000 + b.value }));
    const html = await BarChart({ id: "c", title: "t", valueAxis: "v", categoryAxis: "c", bars: wide });
    expect(count(html, /class="chart-value"/g)).toBe(0);
    const narrow = await BarChart({ id: "c", title: "t", valueAxis: "v", categoryAxis: "c", bars: bars(30) });
    expect(count(narrow, /class="chart-value"/g)).toBe(30);
  });

  test("90 bars keep their values in tooltips and thin out their labels", async () => {
    const html = await BarChart({ id: "c", title: "t", valueAxis: "v", categoryAxis: "c", bars: bars(90) });
    expect(count(html, /<rect /g)).toBe(90);
    expect(count(html, /class="chart-value"/g)).toBe(0);
    expect(count(html, /<title>day \d+: \d+<\/title>/g)).toBe(90);
    expect(count(html, /class="chart-label"/g)).toBeLessThanOrEqual(12);
  });

  test("the scale has whole steps and reaches the highest bar", () => {
    expect(ticks(0)).toEqual([0, 1, 2, 3, 4]);
    expect(ticks(9)).toEqual([0, 3, 6, 9, 12]);
    expect(ticks(1151)).toEqual([0, 300, 600, 900, 1200]);
  });
});
