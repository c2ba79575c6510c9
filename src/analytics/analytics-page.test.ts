// /analytics for the week computed by hand in analytics.test.ts: who may see it, every figure on
// the page (escaped, charts described), ranges it cannot read, and the CSV downloads over HTTP.
import { beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { WEEK, weekApp } from "./week-app-fixture.ts";
import type { Week } from "./week-fixture.ts";

describe(`analytics: the page and its downloads (${storageMode})`, () => {
  const week = weekApp();
  let t: TestApp;
  let ana: Week["ana"];
  let ben: Week["ben"];
  /** The conversations' ids, by the names in week-fixture.ts. */
  let c: Week["c"];
  beforeAll(() => void ({ t, ana, ben, c } = week.state));

  const page = (query: string, cookie?: string) => t.request(`/analytics${query}`, cookie ? { headers: { cookie } } : {});

  test("a signed-out visitor is sent to sign in, and back afterwards; so is a CSV download", async () => {
    const res = await page("?range=7");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?next=%2Fanalytics%3Frange%3D7");
    const csv = await t.request("/analytics/agents.csv");
    expect(csv.status).toBe(303);
  });

  test("the page shows every figure for the range, with charts described for screen readers and names escaped", async () => {
    const res = await page(`?range=custom&from=${WEEK.from}&to=${WEEK.to}`, ben.cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Fri 28 Mar 2025 to Mon 31 Mar 2025 (4 days), days in Europe/Berlin");
    // The chart is an image named by its title, with the table of its numbers beside it.
    expect(html).toContain('role="img" aria-labelledby="per-day-chart-title per-day-chart-desc"');
    expect(html).toContain('<title id="per-day-chart-title">Conversations started per day</title>');
    expect(html).toContain("Sun 30 Mar 2025: 1 conversation<");
    expect(html).toContain("Sat 29 Mar 2025: 2 conversations<");
    expect(html).toMatch(/<time datetime="2025-03-28">Fri 28 Mar 2025<\/time><\/th><td class="num">3<\/td>/);
    // Medians and percentiles as durations.
    expect(html).toContain("17 min 30 s"); // first response median, 1050 s
    expect(html).toContain("6 h 5 min"); // its p90, 21900 s
    expect(html).toContain("(deactivated)");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;, &quot;Sam&quot;");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain('href="/analytics/first-responses.csv?range=custom&from=2025-03-28&to=2025-03-31"');
    expect(html).toContain("How these are counted");
  });

  test("the presets need no dates; a range with nothing in it says so", async () => {
    const week = await page("?range=7", ana.cookie);
    expect(week.status).toBe(200);
    expect(await week.text()).toContain("(7 days)");
    const empty = await (await page("?from=2024-01-01&to=2024-01-07", ana.cookie)).text();
    expect(empty).toContain("Nothing happened in these days");
    expect(empty).toContain("No conversations were started in these days.");
    expect(empty).toContain("—");
  });

  test("a reversed or impossible custom range is refused on the page, next to the form", async () => {
    const reversed = await page("?range=custom&from=2025-03-31&to=2025-03-28", ana.cookie);
    expect(reversed.status).toBe(400);
    const html = await reversed.text();
    expect(html).toContain("The start date must be on or before the end date.");
    expect(html).toContain('value="2025-03-31"');
    expect(html).not.toContain('id="per-day-title"');
    const impossible = await page("?from=2025-02-30&to=2025-03-01", ana.cookie);
    expect(impossible.status).toBe(400);
    expect(await impossible.text()).toContain("make sure they exist");
  });

  test("a CSV download: a dated attachment, a header row, quoting, and a formula defused", async () => {
    const res = await t.request(`/analytics/attention.csv?from=${WEEK.from}&to=${WEEK.to}`, { headers: { cookie: ana.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="supportdesk-attention-2025-03-28-to-2025-03-31.csv"');
    const lines = (await res.text()).split("\r\n");
    expect(lines[0]).toBe("conversation_id,customer,customer_email,status,assignee,last_customer_message_at");
    expect(lines[1]).toBe(`${c.C6},"<img src=x onerror=alert(1)>, ""Sam""",,assigned,Ben,2025-03-30T10:00:00Z`);
    expect(lines[2]).toBe(`${c.C5},'=cmd(),,queued,,2025-03-31T08:05:00Z`);
    expect(lines[3]).toBe("");
  });

  test("a CSV for a range that cannot be read is a 400 that says why", async () => {
    const res = await t.request("/analytics/resolutions.csv?from=2024-01-01&to=2025-06-01", { headers: { cookie: ana.cookie } });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Choose at most 366 days");
    const unknown = await t.request("/analytics/nothing.csv", { headers: { cookie: ana.cookie } });
    expect(unknown.status).toBe(404);
  });
});
