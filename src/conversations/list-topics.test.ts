// The inbox's topics agree with what each tab shows: for every row state and every page (an agent
// on a tab), a row that stayed in its lists reaches the page with its content exactly when the
// page's tab shows it (the tabs' filters of list-queries.ts), at least a "stale" when the page's
// counts may change with it (needsAttention), and never twice.
import { describe, expect, test } from "bun:test";
import { pageTopics, rowTopics } from "./list-topics.ts";
import { needsAttention, TABS, type ConversationStatus, type Tab } from "./model.ts";

const ANA = "00000000-0000-4000-8000-00000000000a";
const BEN = "00000000-0000-4000-8000-00000000000b";

/** The tabs' filters, as list-queries.ts's tabFilter says them. */
function shows(tab: Tab, viewer: string, row: Row): boolean {
  const snoozed = !!row.snoozedUntil && row.status !== "closed";
  if (tab === "snoozed") return snoozed;
  if (snoozed) return false;
  if (tab === "queue") return row.status === "queued";
  if (tab === "mine") return row.assigneeId === viewer && row.status !== "closed";
  if (tab === "open") return row.status !== "closed";
  return row.status === "closed";
}

/** Whether the row is among what the viewer's "needs attention" count counts (list-queries.ts's countColumns). */
const counted = (viewer: string, row: Row) =>
  needsAttention({ status: row.status, lastCustomerMessageAt: new Date(1), lastAgentMessageAt: null, snoozedUntil: row.snoozedUntil }) && (row.assigneeId === null || row.assigneeId === viewer);

type Row = { status: ConversationStatus; assigneeId: string | null; snoozedUntil?: Date | null };

// The states a conversation can be in: bot and queued ones have no agent; open ones may be snoozed.
const ROWS: Row[] = [
  { status: "queued", assigneeId: null, snoozedUntil: new Date(1) },
  { status: "assigned", assigneeId: ANA, snoozedUntil: new Date(1) },
  { status: "bot", assigneeId: null },
  { status: "queued", assigneeId: null },
  { status: "assigned", assigneeId: ANA },
  { status: "assigned", assigneeId: BEN },
  // Its agent's account deleted (the foreign key sets null): everyone's attention counts it.
  { status: "assigned", assigneeId: null },
  { status: "closed", assigneeId: ANA },
  { status: "closed", assigneeId: null },
];

describe("the inbox's topics", () => {
  for (const row of ROWS) {
    test(`${/^[aeiou]/.test(row.status) ? "an" : "a"} ${row.status}${row.snoozedUntil ? " snoozed" : ""} row${row.assigneeId ? ` of ${row.assigneeId === ANA ? "Ana" : "Ben"}` : ""} reaches the pages that show it, and a stale the pages that count it`, () => {
      const to = rowTopics(row);
      for (const tab of TABS) {
        const subscribed = pageTopics(tab, ANA);
        const withRow = to.rows.filter((t) => subscribed.includes(t)).length;
        const staleOnly = to.stale.filter((t) => subscribed.includes(t)).length;
        const where = `Ana on ${tab}`;
        expect({ where, row: withRow > 0 }).toEqual({ where, row: shows(tab, ANA, row) });
        if (counted(ANA, row)) expect({ where, told: withRow + staleOnly > 0 }).toEqual({ where, told: true });
        expect({ where, frames: withRow + staleOnly }).toEqual({ where, frames: withRow + staleOnly > 0 ? 1 : 0 });
      }
      // A page that did not say its tab hears every row, as before.
      expect(to.rows.filter((t) => pageTopics(null, ANA).includes(t)).length).toBe(1);
    });
  }

  test("an agent's Mine and counts are theirs: another agent's page never subscribes to them", () => {
    for (const tab of TABS) {
      const bens = pageTopics(tab, BEN);
      expect(bens.filter((t) => t.includes(ANA))).toEqual([]);
    }
  });
});
