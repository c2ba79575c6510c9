// Labels: what admins define (a name and a colour) and agents put on conversations for triage.
import { t } from "elysia";
import type { labels } from "../db/schema/index.ts";

export type LabelRow = typeof labels.$inferSelect;

/** A label as a chip shows it. */
export interface Label {
  id: string;
  name: string;
  /** `#rrggbb`, lower case. */
  color: string;
}

/** A label in the settings list: how many conversations carry it now. */
export type LabelWithUse = Label & { conversations: number };

/** A label in a conversation's "Labels" menu: whether the conversation carries it. */
export type LabelOption = Label & { on: boolean };

export const LABEL_NAME_MAX = 40;

/** The colour a new label starts with (the form's default). */
export const DEFAULT_LABEL_COLOR = "#2563eb";

const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** The settings form as posted; every field optional (a field left out is an error of its own, not a 400). */
export const labelForm = t.Object({ name: t.Optional(t.String({ maxLength: 1000 })), color: t.Optional(t.String({ maxLength: 100 })) });

export type LabelForm = typeof labelForm.static;

export interface LabelFormErrors {
  name?: string;
  color?: string;
}

/** What was typed, to show again with the errors. */
export interface LabelFormValues {
  name: string;
  color: string;
}

export type ParsedLabel = { ok: true; name: string; color: string } | { ok: false; values: LabelFormValues; errors: LabelFormErrors };

/**
 * A label's name and colour as an admin typed them: the name trimmed, 1 to LABEL_NAME_MAX
 * characters without control characters; the colour `#rrggbb` (the colour picker sends it so).
 * Uniqueness (whatever the case) is the table's index, checked when saving.
 */
export function parseLabelForm(form: LabelForm): ParsedLabel {
  const values = { name: form.name ?? "", color: (form.color ?? "").trim() };
  const name = values.name.trim();
  const errors: LabelFormErrors = {};
  if (!name) errors.name = "Enter a name for the label, like Billing or Bug.";
  else if (name.length > LABEL_NAME_MAX) errors.name = `Use at most ${LABEL_NAME_MAX} characters (this has ${name.length}).`;
  else if (/[\u0000-\u001f\u007f]/.test(name)) errors.name = "Use letters, digits, spaces and punctuation only.";
  // The colour picker always sends #rrggbb, and cannot show anything else: the message repeats what came.
  if (!values.color) errors.color = "Choose a colour.";
  else if (!HEX_COLOR.test(values.color)) errors.color = `“${values.color.slice(0, 20)}” is not a colour: write it as # and six hex digits, like #2563eb.`;
  if (errors.name || errors.color) return { ok: false, values, errors };
  return { ok: true, name, color: values.color.toLowerCase() };
}

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The text colour that reads best on a chip of `background`: black or white, whichever contrasts
 * more. One of the two always reaches at least 4.58:1 (WCAG AA for normal text).
 */
export function labelTextColor(background: string): "dark" | "light" {
  return contrastRatio(background, "#000000") >= contrastRatio(background, "#ffffff") ? "dark" : "light";
}
