// A saved reply's variables, filled in for a conversation, and the form's checks.
import { describe, expect, test } from "bun:test";
import { parseReply } from "./model.ts";
import { fillVariables, unknownVariables } from "./variables.ts";

const KIM = { "contact.name": "Kim Lee", "contact.email": "kim@example.com", "agent.name": "Ana" };

describe("saved reply variables", () => {
  test("each known variable is filled in, in any case and with spaces inside the braces", () => {
    expect(fillVariables("Hi {{contact.name}}, I'm {{agent.name}}. We wrote to {{ contact.email }}.", KIM)).toBe("Hi Kim Lee, I'm Ana. We wrote to kim@example.com.");
    expect(fillVariables("{{Contact.Name}}!", KIM)).toBe("Kim Lee!");
  });

  test("a missing or blank value reads as the variable's fallback, or the one the text names; never braces", () => {
    const anonymous = { "contact.name": null, "contact.email": "  ", "agent.name": "Ana" };
    expect(fillVariables("Hi {{contact.name}}, we will write to {{contact.email}}.", anonymous)).toBe("Hi there, we will write to your email address.");
    expect(fillVariables("Hi {{contact.name|friend}}!", anonymous)).toBe("Hi friend!");
    expect(fillVariables("Hi {{contact.name | }}!", anonymous)).toBe("Hi !");
    expect(fillVariables("Hi {{contact.name|friend}}!", KIM)).toBe("Hi Kim Lee!");
    expect(fillVariables("— {{agent.name}}", { "agent.name": "" })).toBe("— the team");
  });

  test("what is not a variable stays as written, and saving names it", () => {
    expect(fillVariables("Order {{order.id}} {x} {{", KIM)).toBe("Order {{order.id}} {x} {{");
    expect(unknownVariables("{{order.id}} {{contact.name}} {{first name}} {{order.id}}")).toEqual(["{{order.id}}", "{{first name}}"]);
  });
});

describe("the saved reply form", () => {
  test("trims, drops the slash typed before a shortcut, and accepts letters, digits, - and _", () => {
    expect(parseReply({ name: " Thanks ", shortcut: " /thank-you_2 ", body: "\r\nThanks, {{contact.name}}!\r\n" })).toEqual({
      ok: true,
      value: { name: "Thanks", shortcut: "thank-you_2", body: "Thanks, {{contact.name}}!" },
    });
  });

  test("says what is wrong next to each field", () => {
    const empty = parseReply({});
    expect(empty.ok ? null : Object.keys(empty.errors).sort()).toEqual(["body", "name", "shortcut"]);
    const bad = parseReply({ name: "x".repeat(101), shortcut: "two words", body: "Your order {{order.id}}" });
    expect(bad.ok ? null : bad.errors).toEqual({
      name: "Use at most 100 characters.",
      shortcut: "Use only letters, digits, - and _ (no spaces).",
      body: "{{order.id}} is not a variable: use {{contact.name}}, {{contact.email}} or {{agent.name}}.",
    });
    const long = parseReply({ name: "n", shortcut: "a".repeat(41), body: "b".repeat(5001) });
    expect(long.ok ? null : long.errors).toEqual({ shortcut: "Use at most 40 characters.", body: "Use at most 5,000 characters." });
  });
});
