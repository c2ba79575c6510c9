import { describe, expect, test } from "bun:test";
import { localToday, parseRange } from "./model.ts";

// 2025-03-30 22:30 UTC is already 00:30 on 03-31 in Berlin (summer time since 02:00 that night).
const NOW = new Date("2025-03-30T22:30:00Z");

describe("the analytics range", () => {
  test("today is the local date in the account's zone", () => {
    expect(localToday("Europe/Berlin", NOW)).toBe("2025-03-31");
    expect(localToday("UTC", NOW)).toBe("2025-03-30");
  });

  test("7, 30 or 90 days end today, local; nothing asked for means 30", () => {
    expect(parseRange({ range: "7" }, "Europe/Berlin", NOW)).toMatchObject({ ok: true, range: { from: "2025-03-25", to: "2025-03-31", days: 7, preset: 7 } });
    expect(parseRange({ range: "7" }, "UTC", NOW)).toMatchObject({ ok: true, range: { from: "2025-03-24", to: "2025-03-30" } });
    expect(parseRange({ range: "90" }, "UTC", NOW)).toMatchObject({ ok: true, range: { from: "2024-12-31", to: "2025-03-30", days: 90 } });
    expect(parseRange({}, "UTC", NOW)).toMatchObject({ ok: true, range: { days: 30, preset: 30 }, choice: { range: "30" } });
    // A preset wins over dates sent along with it (the form sends both).
    expect(parseRange({ range: "30", from: "2020-01-01", to: "2020-01-02" }, "UTC", NOW)).toMatchObject({ ok: true, range: { days: 30 } });
  });

  test("custom dates are inclusive, with or without range=custom, up to 366 days", () => {
    expect(parseRange({ from: "2025-03-01", to: "2025-03-01" }, "UTC", NOW)).toMatchObject({ ok: true, range: { from: "2025-03-01", to: "2025-03-01", days: 1, preset: null } });
    expect(parseRange({ range: "custom", from: "2024-01-01", to: "2024-12-31" }, "UTC", NOW)).toMatchObject({ ok: true, range: { days: 366 } });
  });

  const refused: Array<[string, Record<string, string>, RegExp]> = [
    ["an unknown preset", { range: "14" }, /Choose 7, 30 or 90 days, or custom dates/],
    ["one date only", { range: "custom", from: "2025-03-01" }, /both a start date and an end date/],
    ["a date in another format", { from: "03/01/2025", to: "2025-03-05" }, /like 2025-03-01/],
    ["a date that does not exist", { from: "2025-02-29", to: "2025-03-05" }, /make sure they exist/],
    ["a reversed range", { from: "2025-03-05", to: "2025-03-01" }, /start date must be on or before the end date/],
    ["more than 366 days", { from: "2024-01-01", to: "2025-01-01" }, /at most 366 days \(this range has 367\)/],
  ];
  for (const [what, query, message] of refused) {
    test(`${what} is refused with a reason, and the form keeps what was typed`, () => {
      const result = parseRange(query, "UTC", NOW);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatch(message);
      if (query.from) expect(result.choice.from).toBe(query.from);
    });
  }
});
