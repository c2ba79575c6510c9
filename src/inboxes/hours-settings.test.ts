import { describe, expect, test } from "bun:test";
import { hoursValuesFromForm, hoursValuesFromInbox, parseHoursSettings, type HoursField } from "./hours-settings.ts";

const form = (extra: Record<string, string> = {}) => ({
  hoursSettings: "on",
  hoursOn: "on",
  open1: "on",
  from1: "09:00",
  to1: "17:00",
  open5: "on",
  from5: "22:00",
  to5: "02:00",
  from2: "08:00",
  to2: "12:00",
  timeZone: "Europe/Berlin",
  replyTimeMode: "fixed",
  replyTimeText: " Within a day ",
  assignmentMode: "round_robin",
  maxOpenPerAgent: "2",
  ...extra,
});

function parse(extra: Record<string, string> = {}) {
  const errors: Partial<Record<HoursField, string>> = {};
  const value = parseHoursSettings(hoursValuesFromForm(form(extra))!, errors);
  return { value, errors };
}

describe("inbox hours settings", () => {
  test("open days with their times, overnight included; unticked days are closed", () => {
    const { value, errors } = parse();
    expect(errors).toEqual({});
    expect(value).toEqual({
      businessHours: [
        { day: 1, from: "09:00", to: "17:00" },
        { day: 5, from: "22:00", to: "02:00" },
      ],
      timeZone: "Europe/Berlin",
      replyTimeMode: "fixed",
      replyTimeText: "Within a day",
      assignmentMode: "round_robin",
      maxOpenPerAgent: 2,
    });
    const back = hoursValuesFromInbox(value);
    expect(back.days[1]).toEqual({ open: true, from: "09:00", to: "17:00" });
    expect(back.days[2]!.open).toBe(false);
  });

  test("hours off store none (always open); every day unticked stores an empty week (always closed)", () => {
    expect(parse({ hoursOn: "" }).value.businessHours).toEqual([{ day: 1, from: "09:00", to: "17:00" }, { day: 5, from: "22:00", to: "02:00" }]);
    const { hoursOn: _, ...off } = form();
    const errors = {};
    expect(parseHoursSettings(hoursValuesFromForm(off)!, errors).businessHours).toBeNull();
    const { open1: _a, open5: _b, ...closed } = form();
    expect(parseHoursSettings(hoursValuesFromForm(closed)!, errors).businessHours).toEqual([]);
  });

  test("wrong values get a message each", () => {
    const { errors } = parse({ from1: "9am", timeZone: "Mars/Base", replyTimeText: "", maxOpenPerAgent: "0", assignmentMode: "random" });
    expect(Object.keys(errors).sort()).toEqual(["assignmentMode", "hours", "maxOpenPerAgent", "replyTimeText", "timeZone"]);
    expect(parse({ to1: "09:00" }).errors.hours).toContain("different");
  });

  test("the zone is a real IANA zone, written the canonical way; an offset or a made-up name is refused and says why", () => {
    expect(parse({ timeZone: " europe/berlin " }).value.timeZone).toBe("Europe/Berlin");
    expect(parse({ timeZone: "" }).value.timeZone).toBeNull();
    expect(parse({ timeZone: "+01:00" }).errors.timeZone).toBe('Enter a time zone by its IANA name, like "Europe/Berlin" or "UTC". Or leave it empty for the account\'s.');
    const madeUp = parse({ timeZone: "Mars/Base" });
    expect(madeUp.errors.timeZone).toStartWith('"Mars/Base" is not a time zone.');
    // What was typed stays in the form.
    expect(hoursValuesFromForm(form({ timeZone: "Mars/Base" }))!.timeZone).toBe("Mars/Base");
  });

  test("a post without the section leaves the stored settings alone", () => {
    expect(hoursValuesFromForm({ name: "x" })).toBeNull();
  });
});
