// An app in Europe/Berlin that has played the week of week-fixture.ts, for the analytics tests;
// the range that week is counted over, and a CSV download read whole.
import { afterAll, beforeAll } from "bun:test";
import type { Db } from "../db/database.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { parseRange, type DayRange, type Figure } from "./model.ts";
import { figureTable, type Cell } from "./service.ts";
import { playWeek, type Week } from "./week-fixture.ts";

export const BERLIN = "Europe/Berlin";

export function rangeOf(query: { range?: string; from?: string; to?: string }, timeZone = BERLIN): DayRange {
  const parsed = parseRange(query, timeZone);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.range;
}

export const WEEK = { from: "2025-03-28", to: "2025-03-31" };

export async function csvRows(db: Db, figure: Figure, range: DayRange, pageRows?: number): Promise<Cell[][]> {
  const table = await figureTable(db, figure, range, pageRows);
  const rows: Cell[][] = [table.header];
  for await (const row of table.rows) rows.push(row);
  return rows;
}

/** Call it in a describe block: it registers the hooks; `state` is filled in once beforeAll ran. */
export function weekApp() {
  const state = {
    t: undefined as unknown as TestApp,
    db: undefined as unknown as Db,
    ana: undefined as unknown as Week["ana"],
    ben: undefined as unknown as Week["ben"],
    /** The conversations' ids, by the names in week-fixture.ts. */
    c: undefined as unknown as Week["c"],
  };
  beforeAll(async () => {
    state.t = await createTestApp({ env: { TIME_ZONE: BERLIN } });
    state.db = state.t.database.db;
    ({ ana: state.ana, ben: state.ben, c: state.c } = await playWeek(state.t));
  });
  afterAll(() => state.t.close());
  return { state };
}
