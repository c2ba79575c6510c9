import { describe, expect, test } from "bun:test";
import { decodeCursor, encodeCursor, filtersQuery, numberSearch, parseFilters } from "./filters.ts";
import { shorten, subjectFrom } from "./forms.ts";
import { parseTicketNumber } from "./model.ts";

describe("tickets: what forms and URLs say", () => {
  test("the subject starts as the first customer message, on one line and cut at a word", () => {
    expect(subjectFrom("  Hello\n\nthere \t friend ", null)).toBe("Hello there friend");
    const long = "word ".repeat(40);
    const cut = subjectFrom(long, null);
    expect(cut.length).toBeLessThanOrEqual(80);
    expect(cut).toEndWith("word…");
    // One long word is cut where it must be.
    expect(shorten("x".repeat(100), 10)).toBe(`${"x".repeat(9)}…`);
    expect(subjectFrom(null, "Dora")).toBe("Conversation with Dora");
    expect(subjectFrom("   ", null)).toBe("");
  });

  test("ticket numbers: digits of a positive PostgreSQL integer, nothing else", () => {
    expect(parseTicketNumber("123")).toBe(123);
    for (const bad of ["0", "-1", "1.5", "1e3", "", " 1", "2147483648", "99999999999", "abc"]) expect(parseTicketNumber(bad)).toBeNull();
    expect(numberSearch("#12")).toEqual({ number: 12, only: true });
    expect(numberSearch("12")).toEqual({ number: 12, only: false });
    expect(numberSearch("12a")).toBeNull();
  });

  test("filters: defaults when absent, each value checked, and back to the same URL", () => {
    const defaults = parseFilters({});
    expect(defaults).toEqual({ ok: true, value: { status: "unclosed", priority: null, assignee: "anyone", q: "", sort: "updated" } });
    const some = parseFilters({ status: "solved", priority: "urgent", assignee: "none", q: "  printer ", sort: "priority" });
    expect(some.ok).toBe(true);
    expect(filtersQuery(some.value)).toBe("?q=printer&status=solved&priority=urgent&assignee=none&sort=priority");
    expect(filtersQuery(defaults.value)).toBe("");
    const bad = parseFilters({ status: "x'; drop table tickets; --" });
    expect(bad.ok).toBe(false);
    expect(bad.value.status).toBe("unclosed");
  });

  test("a cursor is only good for the sort it was made for", () => {
    const cursor = encodeCursor({ sort: "priority", rank: 3, micros: "1767225600000000", id: "01a1fe31-de94-75b6-a5f5-6de55ca90f89" });
    expect(decodeCursor(cursor, "priority")).toEqual({ sort: "priority", rank: 3, micros: "1767225600000000", id: "01a1fe31-de94-75b6-a5f5-6de55ca90f89" });
    expect(decodeCursor(cursor, "updated")).toBeNull();
    expect(decodeCursor("garbage", "updated")).toBeNull();
    expect(decodeCursor(Buffer.from("updated|0|1|not-a-uuid").toString("base64url"), "updated")).toBeNull();
  });
});
