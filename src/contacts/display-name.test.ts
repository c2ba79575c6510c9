import { describe, expect, test } from "bun:test";
import { contactDisplayName, visitorName, visitorNumberIn } from "./display-name.ts";

describe("a contact's display name", () => {
  test("an anonymous visitor gets a stable four-digit name from their id; others differ", () => {
    const id = "6f1c2a9e-8d4b-4c1e-9a57-3b2f0e8d1c44";
    expect(visitorName(id)).toMatch(/^Visitor \d{4}$/);
    expect(visitorName(id)).toBe(visitorName(id));
    const names = new Set(Array.from({ length: 50 }, () => visitorName(crypto.randomUUID())));
    expect(names.size).toBeGreaterThan(45);
  });

  test("a name wins, then an email, then the visitor name; blanks count as nothing", () => {
    const id = crypto.randomUUID();
    expect(contactDisplayName({ id, name: "Eve", email: "eve@example.com" })).toBe("Eve");
    expect(contactDisplayName({ id, name: "  ", email: "eve@example.com" })).toBe("eve@example.com");
    expect(contactDisplayName({ id, name: null, email: null })).toBe(visitorName(id));
  });

  test("a search names a visitor as the list does, with or without #", () => {
    expect(visitorNumberIn("Visitor 4821")).toBe(4821);
    expect(visitorNumberIn(" visitor #4821 ")).toBe(4821);
    expect(visitorNumberIn("Visitor 482")).toBeNull();
    expect(visitorNumberIn("my visitor 4821")).toBeNull();
  });
});
