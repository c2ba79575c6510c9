// The CSV rows behind each figure of analytics, for the week computed by hand in
// analytics.test.ts: the same conversations as the figures count, read a page at a time.
import { beforeAll, describe, expect, test } from "bun:test";
import type { Db } from "../db/database.ts";
import { storageMode } from "../testing/test-database.ts";
import { defuseFormula } from "./csv.ts";
import { csvRows, rangeOf, WEEK, weekApp } from "./week-app-fixture.ts";
import type { Week } from "./week-fixture.ts";

describe(`analytics: the rows behind each figure (${storageMode})`, () => {
  const week = weekApp();
  let db: Db;
  /** The conversations' ids, by the names in week-fixture.ts. */
  let c: Week["c"];
  beforeAll(() => void ({ db, c } = week.state));

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
});
