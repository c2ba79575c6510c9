// The one module that writes dates for agents: the English default, and the account's locale.
import { afterEach, describe, expect, test } from "bun:test";
import { dateLocale, formatCount, formatDateTime, formatDay, formatShortDay, formatTime, formatZonedMinute, isDateLocale, setDateLocale } from "./dates.ts";

const AT = new Date("2026-11-21T14:03:27Z");

describe("dates for agents", () => {
  afterEach(() => setDateLocale(null));

  test("without a locale, the English default the inbox always wrote, in UTC", () => {
    expect(formatTime(AT)).toBe("14:03");
    expect(formatDateTime(AT)).toBe("2026-11-21 14:03");
    expect(formatDay("2026-11-21")).toBe("Sat 21 Nov 2026");
    expect(formatShortDay("2025-03-03")).toBe("3 Mar");
    expect(formatZonedMinute(AT, "Europe/Berlin")).toBe("21 Nov 2026, 15:03");
    expect(formatCount(1234567)).toBe("1,234,567");
  });

  test("in German: day before month, dots, 24 hours, German names", () => {
    setDateLocale("de-DE");
    expect(dateLocale()).toBe("de-DE");
    expect(formatDateTime(AT)).toBe("21.11.2026, 14:03");
    expect(formatTime(AT)).toBe("14:03");
    expect(formatDay("2026-11-21")).toBe("Sa., 21. Nov. 2026");
    expect(formatZonedMinute(AT, "Europe/Berlin")).toBe("21.11.2026, 15:03");
    expect(formatCount(1234567)).toBe("1.234.567");
  });

  test("in American English: month first and a 12-hour clock", () => {
    setDateLocale("en-US");
    expect(formatDateTime(AT)).toBe("Nov 21, 2026, 2:03 PM");
    expect(formatTime(AT)).toBe("2:03 PM");
    expect(formatShortDay("2025-03-03")).toBe("Mar 3");
  });

  test("a locale given for one call wins over the account's; an unknown tag is no locale", () => {
    setDateLocale("de-DE");
    expect(formatDateTime(AT, null)).toBe("2026-11-21 14:03");
    expect(formatDateTime(AT, "ja-JP")).toBe("2026/11/21 14:03");
    setDateLocale("xx-Nope");
    expect(dateLocale()).toBeNull();
    expect(isDateLocale("de-DE")).toBe(true);
    expect(isDateLocale("de")).toBe(false);
  });
});
