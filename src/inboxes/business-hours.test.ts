import { describe, expect, test } from "bun:test";
import type { BusinessHours } from "../db/schema/index.ts";
import { backText } from "./reply-time.ts";
import { closesAt, minutesOf, nextOpening, openNow, wallClock } from "./business-hours.ts";

const weekdays9to17: BusinessHours = [1, 2, 3, 4, 5].map((day) => ({ day, from: "09:00", to: "17:00" }));
const at = (iso: string) => new Date(iso);
const back = (hours: BusinessHours | null, zone: string, iso: string) => {
  const next = nextOpening(hours, zone, at(iso));
  return next && backText(next);
};

describe("business hours", () => {
  test("times parse as HH:MM only", () => {
    expect(minutesOf("09:30")).toBe(570);
    expect(minutesOf("23:59")).toBe(1439);
    for (const bad of ["24:00", "9:30", "09:60", "", "09:30:00"]) expect(minutesOf(bad)).toBeNull();
  });

  test("no hours at all means always open, with no 'back at'", () => {
    expect(openNow(null, "UTC", at("2026-12-06T03:00:00Z"))).toBe(true);
    expect(nextOpening(null, "UTC", at("2026-12-06T03:00:00Z"))).toBeNull();
  });

  test("open within the day's span, in the inbox's zone", () => {
    // Monday 7 Dec 2026, 08:30 UTC = 09:30 in Berlin (winter, UTC+1).
    expect(openNow(weekdays9to17, "Europe/Berlin", at("2026-12-07T08:30:00Z"))).toBe(true);
    expect(openNow(weekdays9to17, "UTC", at("2026-12-07T08:30:00Z"))).toBe(false);
    expect(back(weekdays9to17, "UTC", "2026-12-07T08:30:00Z")).toBe("Back today at 09:00");
    // 17:00 is closing time: closed from that minute.
    expect(openNow(weekdays9to17, "UTC", at("2026-12-07T17:00:00Z"))).toBe(false);
    expect(back(weekdays9to17, "UTC", "2026-12-07T17:00:00Z")).toBe("Back tomorrow at 09:00");
  });

  test("closed days are skipped: Friday evening is back Monday", () => {
    expect(openNow(weekdays9to17, "UTC", at("2026-12-12T12:00:00Z"))).toBe(false); // Saturday
    expect(back(weekdays9to17, "UTC", "2026-12-11T18:00:00Z")).toBe("Back Monday at 09:00");
    expect(nextOpening(weekdays9to17, "UTC", at("2026-12-11T18:00:00Z"))).toEqual({ day: 1, time: "09:00", inDays: 3 });
  });

  test("every day closed: never open, and no 'back at'", () => {
    expect(openNow([], "UTC", at("2026-12-07T10:00:00Z"))).toBe(false);
    expect(nextOpening([], "UTC", at("2026-12-07T10:00:00Z"))).toBeNull();
  });

  test("an overnight span runs into the next day, also from Saturday into Sunday", () => {
    const nights: BusinessHours = [
      { day: 5, from: "22:00", to: "02:00" },
      { day: 6, from: "20:00", to: "00:00" },
      { day: 6, from: "23:30", to: "01:00" },
    ];
    expect(openNow(nights, "UTC", at("2026-12-11T23:00:00Z"))).toBe(true); // Friday 23:00
    expect(openNow(nights, "UTC", at("2026-12-12T01:59:00Z"))).toBe(true); // Saturday 01:59
    expect(openNow(nights, "UTC", at("2026-12-12T02:00:00Z"))).toBe(false);
    expect(back(nights, "UTC", "2026-12-12T02:00:00Z")).toBe("Back today at 20:00");
    expect(openNow(nights, "UTC", at("2026-12-12T23:59:00Z"))).toBe(true); // until midnight
    expect(openNow(nights, "UTC", at("2026-12-13T00:30:00Z"))).toBe(true); // Sunday 00:30, from Saturday's 23:30
    expect(openNow(nights, "UTC", at("2026-12-13T01:00:00Z"))).toBe(false);
    expect(back(nights, "UTC", "2026-12-13T01:00:00Z")).toBe("Back Friday at 22:00");
  });

  test("DST: 09:00 stays 09:00 on the inbox's clocks on both sides of a change", () => {
    // Berlin springs forward on Sunday 29 March 2026: Monday 09:00 is 07:00 UTC, the Friday before 08:00 UTC.
    expect(openNow(weekdays9to17, "Europe/Berlin", at("2026-03-27T08:00:00Z"))).toBe(true);
    expect(openNow(weekdays9to17, "Europe/Berlin", at("2026-03-27T07:59:00Z"))).toBe(false);
    expect(openNow(weekdays9to17, "Europe/Berlin", at("2026-03-30T07:00:00Z"))).toBe(true);
    expect(openNow(weekdays9to17, "Europe/Berlin", at("2026-03-30T06:59:00Z"))).toBe(false);
    expect(back(weekdays9to17, "Europe/Berlin", "2026-03-28T12:00:00Z")).toBe("Back Monday at 09:00");
    // New York falls back on Sunday 1 November 2026: 01:30 happens twice, both Sunday.
    expect(wallClock(at("2026-11-01T05:30:00Z"), "America/New_York")).toEqual({ day: 0, minute: 90 });
    expect(wallClock(at("2026-11-01T06:30:00Z"), "America/New_York")).toEqual({ day: 0, minute: 90 });
  });

  test("the weekday is the inbox's: late Sunday in UTC is already Monday in Tokyo", () => {
    expect(openNow(weekdays9to17, "Asia/Tokyo", at("2026-12-06T23:30:00Z"))).toBe(false); // Mon 08:30 Tokyo
    expect(back(weekdays9to17, "Asia/Tokyo", "2026-12-06T23:30:00Z")).toBe("Back today at 09:00");
    expect(openNow(weekdays9to17, "Asia/Tokyo", at("2026-12-07T00:00:00Z"))).toBe(true);
  });

  test("closesAt: when the span the team is in now ends (meeting spans are one, overnight ones end the next day); null when closed or always open", () => {
    expect(closesAt(weekdays9to17, "UTC", at("2026-12-07T10:00:00Z"))).toBe("17:00"); // Monday
    expect(closesAt(weekdays9to17, "UTC", at("2026-12-07T17:00:00Z"))).toBeNull();
    expect(closesAt(weekdays9to17, "UTC", at("2026-12-06T10:00:00Z"))).toBeNull(); // Sunday
    const split = [{ day: 1, from: "09:00", to: "12:00" }, { day: 1, from: "12:00", to: "17:30" }];
    expect(closesAt(split, "UTC", at("2026-12-07T10:00:00Z"))).toBe("17:30");
    expect(closesAt([{ day: 0, from: "22:00", to: "02:00" }], "UTC", at("2026-12-07T01:00:00Z"))).toBe("02:00"); // Monday 01:00, from Sunday's night
    expect(closesAt([{ day: 6, from: "23:30", to: "01:00" }], "UTC", at("2026-12-13T00:30:00Z"))).toBe("01:00"); // past the week's end
    expect(closesAt(null, "UTC", at("2026-12-07T10:00:00Z"))).toBeNull();
    // Open past midnight: no closing time "today" (Monday 23:00 in a 22:00-02:00 night; every day round the clock).
    expect(closesAt([{ day: 1, from: "22:00", to: "02:00" }], "UTC", at("2026-12-07T23:00:00Z"))).toBeNull();
    expect(closesAt([0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, from: "00:00", to: "24:00" })), "UTC", at("2026-12-07T10:00:00Z"))).toBeNull();
    expect(closesAt(weekdays9to17, "Asia/Tokyo", at("2026-12-07T00:00:00Z"))).toBe("17:00"); // the inbox's clocks
  });
});
