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
import { beforeAll, describe, expect, test } from "bun:test";
import type { Db } from "../db/database.ts";
import { storageMode } from "../testing/test-database.ts";
import { report } from "./service.ts";
import { rangeOf, WEEK, weekApp } from "./week-app-fixture.ts";
import type { Week } from "./week-fixture.ts";

describe(`analytics over a week computed by hand (${storageMode})`, () => {
  const week = weekApp();
  let db: Db;
  /** The conversations' ids, by the names in week-fixture.ts. */
  let c: Week["c"];
  beforeAll(() => void ({ db, c } = week.state));

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
});
