// A label's name and colour as admins type them, and the text colour of its chip.
import { describe, expect, test } from "bun:test";
import { contrastRatio, labelTextColor, LABEL_NAME_MAX, parseLabelForm } from "./model.ts";

describe("a label's form", () => {
  test("the name is trimmed and the colour kept in lower case", () => {
    expect(parseLabelForm({ name: "  Billing  ", color: "#A1B2C3" })).toEqual({ ok: true, name: "Billing", color: "#a1b2c3" });
  });

  test("a missing, too long or control-character name and a colour that is not #rrggbb are refused, with what was typed", () => {
    const refused = (name: string | undefined, color: string | undefined) => {
      const parsed = parseLabelForm({ name, color });
      if (parsed.ok) throw new Error("accepted");
      return parsed;
    };
    expect(refused("   ", "#000000").errors).toEqual({ name: "Enter a name for the label, like Billing or Bug." });
    expect(refused("x".repeat(LABEL_NAME_MAX + 1), "#000000").errors.name).toBe(`Use at most ${LABEL_NAME_MAX} characters (this has ${LABEL_NAME_MAX + 1}).`);
    expect(refused("tab\there", "#000000").errors.name).toBe("Use letters, digits, spaces and punctuation only.");
    const bad = refused("VIP", "red");
    expect(bad.errors).toEqual({ color: "“red” is not a colour: write it as # and six hex digits, like #2563eb." });
    expect(bad.values).toEqual({ name: "VIP", color: "red" });
    expect(refused(undefined, undefined).errors).toEqual({ name: "Enter a name for the label, like Billing or Bug.", color: "Choose a colour." });
    for (const color of ["#fff", "#12345g", "#1234567", "123456", "#12 456"]) expect(refused("VIP", color).errors.color).toBeDefined();
  });
});

describe("a chip's text colour", () => {
  test("black on light colours, white on dark ones", () => {
    expect(labelTextColor("#ffffff")).toBe("dark");
    expect(labelTextColor("#fde047")).toBe("dark");
    expect(labelTextColor("#000000")).toBe("light");
    expect(labelTextColor("#1e3a8a")).toBe("light");
    expect(labelTextColor("#b42318")).toBe("light");
  });

  test("whatever the colour, the text reaches WCAG AA contrast (4.5:1)", () => {
    for (let r = 0; r < 256; r += 17) {
      for (let g = 0; g < 256; g += 17) {
        for (let b = 0; b < 256; b += 17) {
          const color = `#${[r, g, b].map((c) => c.toString(16).padStart(2, "0")).join("")}`;
          const text = labelTextColor(color) === "dark" ? "#000000" : "#ffffff";
          expect(contrastRatio(color, text)).toBeGreaterThanOrEqual(4.5);
        }
      }
    }
  });
});
