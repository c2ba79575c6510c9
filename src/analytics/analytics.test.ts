// Analytics against a week computed by hand: the conversations of week-fixture.ts, played
// through the conversation verbs at exact moments. Times below are UTC ("Z"); the account's zone is
// Europe/Berlin, which is UTC+1 until 2025-03-30 02:00 local and UTC+2 after (that day has 23 hours).
//
// The range is 2025-03-28..2025-03-31 in Berlin: [2025-03-27T23:00Z, 2025-03-31T22:00Z).
//
// By hand, for the Berlin range:
//   Conversations per day: 03-28: C1 C2 C3 = 3; 03-29: C4 C9 = 2; 03-30: C6 = 1; 03-31: C5 = 1.
//   First responses: C1 300 s (Ana), C2 1200 (Ana), C3 900 (Ben), C4 2400 from the handoff, not
//     from creation (Cleo), C7 41400 (Ana), C9 180 from its first queueing, not the later one
//     (Cleo). Sorted 180 300 900 1200 2400 41400: median (900 + 1200) / 2 = 1050;
//     p90 at position 0.9 x 5 = 4.5: 2400 + 0.5 x (41400 - 2400) = 21900.
//     Per agent: Ana 300 1200 41400 -> 1200; Ben 900; Cleo 2400 180 -> 1290.
//   Resolutions: C1 3600 (from creation), 1800 (from the reopen 08:00), 3600 (from the reopen 12:00);
//     C3 7200; C4 9600 (from creation); C9 600. Sorted 600 1800 3600 3600 7200 9600: median 3600;
//     p90 at 4.5: 7200 + 0.5 x 2400 = 8400.
//   Queue waits: C1 120; C2 600 (the reassignment ended no wait); C3 600; C4 1200 (queued 23:50 ->
//     Cleo 00:10) and 1200 (unassigned 00:40 -> Ben 01:00); C6 1800 (assigned from the queue);
//     C7 39600; C9 60 (queued 09:00 -> Cleo 09:01) and 1200 (reopened 03-30 09:00 -> Ana 09:20).
//     Sorted 60 120 600 600 1200 1200 1200 1800 39600: median 1200;
//     p90 at 0.9 x 8 = 7.2: 1800 + 0.2 x (39600 - 1800) = 9360.
//   Agents: Ana handled C1 C2 C7 C9 = 4, open now C7 C9 = 2; Ben handled C2 C3 C4 = 3, open now
//     C2 C6 = 2; Cleo (deactivated) handled C4 C9 = 2, open 0; Dan (deactivated, nothing in the
//     range) is not listed.
//   Needs attention now: C6 (last customer message 03-30 10:00, never answered), then C5 (03-31 08:05).
//   Tickets: open/high 1, pending/urgent 1, solved/low 1; the one from 03-20 is outside.
//
// And for the single day 2025-03-28: in Berlin [03-27T23:00Z, 03-28T23:00Z) C3's close (23:30Z)
// falls on the next day, so there is one resolution (C1's first, 3600); in UTC both count, median
// (3600 + 7200) / 2 = 5400. Conversations that day: 3 in Berlin (C1 C2 C3), 4 in UTC (and C4).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Db } from "../db/database.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { defuseFormula } from "./csv.ts";
import { parseRange, type DayRange, type Figure } from "./model.ts";
import { figureTable, report, type Cell } from "./service.ts";
import { playWeek, type Week } from "./week-fixture.ts";

const BERLIN = "Europe/Berlin";

function rangeOf(query: { range?: string; from?: string; to?: string }, timeZone = BERLIN): DayRange {
  const parsed = parseRange(query, timeZone);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.range;
}

const WEEK = { from: "2025-03-28", to: "2025-03-31" };

async function csvRows(db: Db, figure: Figure, range: DayRange, pageRows?: number): Promise<Cell[][]> {
  const table = await figureTable(db, figure, range, pageRows);
  const rows: Cell[][] = [table.header];
  for await (const row of table.rows) rows.push(row);
  return rows;
}

describe(`analytics over a week computed by hand (${storageMode})`, () => {
  let t: TestApp;
  let db: Db;
  let ana: Week["ana"];
  let ben: Week["ben"];
  /** The conversations' ids, by the names in week-fixture.ts. */
  let c: Week["c"];

  beforeAll(async () => {
    t = await createTestApp({ env: { TIME_ZONE: BERLIN } });
    db = t.database.db;
    ({ ana, ben, c } = await playWeek(t));
  });
  afterAll(() => t.close());

  test("conversations per day count by the local day, days without any show 0", async () => {
    const r = await report(db, rangeOf(WEEK));
    expect(r.perDay).toEqual([
      { day: "2025-03-28", conversations: 3 },
      { day: "2025-03-29", conversations: 2 },
      { day: "2025-03-30", conversations: 1 },
      { day: "2025-03-31", conversations: 1 },
    ]);
    const utc = await report(db, rangeOf(WEEK, "UTC"));
    expect(utc.perDay).toEqual([
      { day: "2025-03-28", conversations: 4 },
      { day: "2025-03-29", conversations: 1 },
      { day: "2025-03-30", conversations: 1 },
      { day: "2025-03-31", conversations: 2 },
    ]);
  });

  test("first response, resolution and queue wait: medians and 90th percentiles", async () => {
    const r = await report(db, rangeOf(WEEK));
    expect(r.firstResponse).toEqual({ count: 6, median: 1050, p90: 21900 });
    expect(r.resolution).toEqual({ count: 6, median: 3600, p90: 8400 });
    expect(r.queueWait).toEqual({ count: 9, median: 1200, p90: 9360 });
  });

  test("a close just after midnight in Berlin counts on the next day there, and on the same day in UTC", async () => {
    const day = { from: "2025-03-28", to: "2025-03-28" };
    const berlin = await report(db, rangeOf(day));
    expect(berlin.resolution).toEqual({ count: 1, median: 3600, p90: 3600 });
    expect(berlin.perDay).toEqual([{ day: "2025-03-28", conversations: 3 }]);
    const utc = await report(db, rangeOf(day, "UTC"));
    expect(utc.resolution.count).toBe(2);
    expect(utc.resolution.median).toBe(5400);
    expect(utc.perDay).toEqual([{ day: "2025-03-28", conversations: 4 }]);
  });

  test("per agent: conversations handled, median first response, open now; a deactivated agent with work stays", async () => {
    const r = await report(db, rangeOf(WEEK));
    expect(r.agents.map(({ id: _, ...a }) => a)).toEqual([
      { name: "Ana", deactivated: false, handled: 4, firstResponses: 3, medianFirstResponse: 1200, openNow: 2 },
      { name: "Ben", deactivated: false, handled: 3, firstResponses: 1, medianFirstResponse: 900, openNow: 2 },
      { name: "Cleo", deactivated: true, handled: 2, firstResponses: 2, medianFirstResponse: 1290, openNow: 0 },
    ]);
  });

  test("needs attention now lists unanswered open conversations, longest waiting first", async () => {
    const r = await report(db, rangeOf(WEEK));
    expect(r.attention.total).toBe(2);
    expect(r.attention.oldest.map((a) => [a.id, a.status, a.assigneeName, a.lastCustomerMessageAt.toISOString()])).toEqual([
      [c.C6, "assigned", "Ben", "2025-03-30T10:00:00.000Z"],
      [c.C5, "queued", null, "2025-03-31T08:05:00.000Z"],
    ]);
  });

  test("tickets created in the range, by status and priority, every cell present", async () => {
    const r = await report(db, rangeOf(WEEK));
    expect(r.tickets).toHaveLength(16);
    expect(r.tickets.filter((t) => t.tickets > 0)).toEqual([
      { status: "open", priority: "high", tickets: 1 },
      { status: "pending", priority: "urgent", tickets: 1 },
      { status: "solved", priority: "low", tickets: 1 },
    ]);
  });

  test("a range with nothing in it gives zeros and no medians", async () => {
    const r = await report(db, rangeOf({ from: "2024-01-01", to: "2024-01-07" }));
    expect(r.perDay.map((d) => d.conversations)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(r.firstResponse).toEqual({ count: 0, median: null, p90: null });
    expect(r.resolution).toEqual({ count: 0, median: null, p90: null });
    expect(r.queueWait).toEqual({ count: 0, median: null, p90: null });
    // Active agents are listed with nothing to show; deactivated ones without work are not.
    expect(r.agents.map((a) => [a.name, a.handled])).toEqual([
      ["Ana", 0],
      ["Ben", 0],
    ]);
  });

  test("the CSV rows behind each duration are the ones counted by hand", async () => {
    const range = rangeOf(WEEK);
    expect(await csvRows(db, "first-responses", range)).toEqual([
      ["conversation_id", "customer", "customer_email", "waiting_since", "first_response_at", "seconds", "agent"],
      [c.C7, "Cyd Seven", null, "2025-03-27T20:00:00Z", "2025-03-28T07:30:00Z", 41400, "Ana"],
      [c.C1, "Carla One", null, "2025-03-28T09:00:00Z", "2025-03-28T09:05:00Z", 300, "Ana"],
      [c.C2, "Carl Two", null, "2025-03-28T12:00:00Z", "2025-03-28T12:20:00Z", 1200, "Ana"],
      [c.C3, "Cem Three", null, "2025-03-28T21:30:00Z", "2025-03-28T21:45:00Z", 900, "Ben"],
      [c.C4, "Cora Four", null, "2025-03-28T23:50:00Z", "2025-03-29T00:30:00Z", 2400, "Cleo"],
      [c.C9, "Cleo's customer", null, "2025-03-29T09:00:00Z", "2025-03-29T09:03:00Z", 180, "Cleo"],
    ]);
    expect((await csvRows(db, "resolutions", range)).map((r) => [r[0], r[3], r[5], r[6]])).toEqual([
      ["conversation_id", "episode_started_at", "seconds", "closed_by"],
      [c.C1, "2025-03-28T09:00:00Z", 3600, "Ana"],
      [c.C3, "2025-03-28T21:30:00Z", 7200, "Ben"],
      [c.C4, "2025-03-28T23:20:00Z", 9600, "Ben"],
      [c.C1, "2025-03-29T08:00:00Z", 1800, "Ana"],
      [c.C9, "2025-03-29T09:00:00Z", 600, "Cleo"],
      [c.C1, "2025-03-30T12:00:00Z", 3600, "Ana"],
    ]);
    expect((await csvRows(db, "queue-waits", range)).map((r) => [r[0], r[5], r[6], r[7]])).toEqual([
      ["conversation_id", "seconds", "taken_by", "how"],
      [c.C7, 39600, "Ana", "claimed"],
      [c.C1, 120, "Ana", "claimed"],
      [c.C2, 600, "Ana", "claimed"],
      [c.C3, 600, "Ben", "claimed"],
      [c.C4, 1200, "Cleo", "claimed"],
      [c.C4, 1200, "Ben", "claimed"],
      [c.C9, 60, "Cleo", "claimed"],
      [c.C9, 1200, "Ana", "claimed"],
      [c.C6, 1800, "Ben", "assigned"],
    ]);
  });

  test("the other CSVs: days, agents, attention and tickets", async () => {
    const range = rangeOf(WEEK);
    expect(await csvRows(db, "conversations-per-day", range)).toEqual([
      ["day", "conversations"],
      ["2025-03-28", 3],
      ["2025-03-29", 2],
      ["2025-03-30", 1],
      ["2025-03-31", 1],
    ]);
    expect(await csvRows(db, "agents", range)).toEqual([
      ["agent", "deactivated", "conversations_handled", "first_responses", "median_first_response_seconds", "open_now"],
      ["Ana", "no", 4, 3, 1200, 2],
      ["Ben", "no", 3, 1, 900, 2],
      ["Cleo", "yes", 2, 2, 1290, 0],
    ]);
    expect(await csvRows(db, "attention", range)).toEqual([
      ["conversation_id", "customer", "customer_email", "status", "assignee", "last_customer_message_at"],
      [c.C6, '<img src=x onerror=alert(1)>, "Sam"', null, "assigned", "Ben", "2025-03-30T10:00:00Z"],
      [c.C5, "=cmd()", null, "queued", null, "2025-03-31T08:05:00Z"],
    ]);
    const ticketRows = await csvRows(db, "tickets", range);
    expect(ticketRows).toHaveLength(17);
    expect(ticketRows).toContainEqual(["pending", "urgent", 1]);
    expect(ticketRows).toContainEqual(["closed", "low", 0]);
  });

  test("long downloads are read a page at a time and lose or repeat no row", async () => {
    const range = rangeOf(WEEK);
    for (const figure of ["first-responses", "resolutions", "queue-waits", "attention"] as const) {
      expect(await csvRows(db, figure, range, 2)).toEqual(await csvRows(db, figure, range));
    }
  });

  test("a cell a spreadsheet would run as a formula is made text; numbers stay numbers", () => {
    expect(defuseFormula("=cmd()")).toBe("'=cmd()");
    expect(defuseFormula("+1")).toBe("'+1");
    expect(defuseFormula("-2")).toBe("'-2");
    expect(defuseFormula("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(defuseFormula("Ana")).toBe("Ana");
    expect(defuseFormula(-2)).toBe(-2);
    expect(defuseFormula(null)).toBeNull();
  });

  // --- the routes ---

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
