// Snooze presets on the account's clock: "tomorrow" and "next week" are 09:00 where the team is.
import { describe, expect, test } from "bun:test";
import { snoozeEnd, zonedInstant } from "./snooze-time.ts";

const at = (iso: string) => Date.parse(iso);
const end = (...args: Parameters<typeof snoozeEnd>) => {
  const r = snoozeEnd(...args);
  return "until" in r ? r.until.toISOString() : r.refused;
};

describe("snooze times", () => {
  // Monday 7 December 2026, 23:30 in Berlin (22:30 UTC).
  const mondayNight = at("2026-12-07T22:30:00Z");

  test("1 hour is an hour from now, whatever the zone", () => {
    expect(end("hour", mondayNight, "Europe/Berlin")).toBe("2026-12-07T23:30:00.000Z");
  });

  test("tomorrow is 09:00 of the next day where the account is, not in UTC", () => {
    expect(end("tomorrow", mondayNight, "Europe/Berlin")).toBe("2026-12-08T08:00:00.000Z");
    // In New York it is still Monday afternoon: tomorrow is Tuesday there too.
    expect(end("tomorrow", mondayNight, "America/New_York")).toBe("2026-12-08T14:00:00.000Z");
    // Half past midnight on Tuesday in Berlin: tomorrow is Wednesday.
    expect(end("tomorrow", at("2026-12-07T23:30:00Z"), "Europe/Berlin")).toBe("2026-12-09T08:00:00.000Z");
  });

  test("next week is the next Monday at 09:00; on a Monday, the one after", () => {
    expect(end("week", mondayNight, "Europe/Berlin")).toBe("2026-12-14T08:00:00.000Z");
    expect(end("week", at("2026-12-10T12:00:00Z"), "UTC")).toBe("2026-12-14T09:00:00.000Z");
    expect(end("week", at("2026-12-13T12:00:00Z"), "UTC")).toBe("2026-12-14T09:00:00.000Z");
  });

  test("a custom time is read on the account's clock, across a change to summer time", () => {
    expect(end("custom", mondayNight, "Europe/Berlin", "2026-12-24T18:00")).toBe("2026-12-24T17:00:00.000Z");
    expect(new Date(zonedInstant("Europe/Berlin", 2027, 3, 28, 12, 0)).toISOString()).toBe("2027-03-28T10:00:00.000Z");
  });

  test("a custom time past, malformed, or more than a year away is refused", () => {
    expect(end("custom", mondayNight, "UTC", "2026-12-01T09:00")).toBe("Choose a time in the future.");
    expect(end("custom", mondayNight, "UTC", "tomorrow")).toBe("Choose a date and time.");
    expect(end("custom", mondayNight, "UTC", undefined)).toBe("Choose a date and time.");
    expect(end("custom", mondayNight, "UTC", "2028-01-01T09:00")).toBe("Snooze for at most a year.");
  });
});
