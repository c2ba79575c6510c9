import { t } from "elysia";
import type { FaqEntry } from "../db/schema/index.ts";
import { parseOrigin } from "../widget/embed-policy.ts";
import { emailSettingsFields, emailValuesFromForm, emailValuesFromInbox, parseEmailSettings, type EmailField, type EmailSettingsValues } from "./email-settings.ts";
import { hoursSettingsFields, hoursValuesFromForm, hoursValuesFromInbox, parseHoursSettings, type HoursField, type HoursSettingsValues } from "./hours-settings.ts";
import type { Inbox, InboxSettings } from "./queries.ts";

// HTML forms post strings. The schemas only admit the fields and cap their size far above the
// limits below (past them a post is garbage: 400); the parsers turn everything else into
// per-field messages that the page shows next to each field.

export const LIMITS = {
  name: 100,
  greeting: 500,
  faqEntries: 50,
  faqAnswer: 1000,
  faqKeywords: 10,
  faqKeyword: 50,
  origins: 100,
} as const;

/** A repeated form field: one value arrives as a string, several as an array. */
const repeated = (maxLength: number) => t.Optional(t.Union([t.String({ maxLength }), t.Array(t.String({ maxLength }), { maxItems: 200 })]));

export const newInboxForm = t.Object({ name: t.Optional(t.String({ maxLength: 1000 })) });

export const inboxSettingsForm = t.Object({
  name: t.Optional(t.String({ maxLength: 1000 })),
  greeting: t.Optional(t.String({ maxLength: 10_000 })),
  handoffMode: t.Optional(t.String({ maxLength: 100 })),
  faqKeywords: repeated(10_000),
  faqAnswer: repeated(20_000),
  allowedOrigins: t.Optional(t.String({ maxLength: 100_000 })),
  color: t.Optional(t.String({ maxLength: 100 })),
  position: t.Optional(t.String({ maxLength: 100 })),
  requireIdentity: t.Optional(t.String({ maxLength: 100 })),
  keepPageQuery: t.Optional(t.String({ maxLength: 100 })),
  ...emailSettingsFields,
  ...hoursSettingsFields,
});

/** The form as the page shows it: what was typed, so that a refused save loses nothing. */
export interface InboxSettingsValues {
  name: string;
  greeting: string;
  handoffMode: string;
  faq: Array<{ keywords: string; answer: string }>;
  allowedOrigins: string;
  color: string;
  position: string;
  requireIdentity: boolean;
  keepPageQuery: boolean;
  /** null: the email section was not posted (disabled without SMTP); the stored settings stay. */
  email: EmailSettingsValues | null;
  /** null: the hours section was not posted; the stored settings stay. */
  hours?: HoursSettingsValues | null;
}

type SimpleField = "name" | "greeting" | "handoffMode" | "faq" | "allowedOrigins" | "color" | "position" | EmailField | HoursField;

export interface InboxSettingsErrors {
  fields: Partial<Record<SimpleField, string>>;
  /** Per FAQ row (same index as `values.faq`). */
  faqRows: Record<number, { keywords?: string; answer?: string }>;
}

export function valuesFromInbox(inbox: Inbox): InboxSettingsValues {
  return {
    name: inbox.name,
    greeting: inbox.greeting,
    handoffMode: inbox.handoffMode,
    faq: inbox.faq.map((entry) => ({ keywords: entry.keywords.join(", "), answer: entry.answer })),
    allowedOrigins: inbox.allowedOrigins.join("\n"),
    color: inbox.color,
    position: inbox.position,
    requireIdentity: inbox.requireIdentity,
    keepPageQuery: inbox.keepPageQuery,
    email: emailValuesFromInbox(inbox),
    hours: hoursValuesFromInbox(inbox),
  };
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The posted form as values to show again; rows left entirely blank are dropped. */
export function valuesFromForm(form: typeof inboxSettingsForm.static): InboxSettingsValues {
  const keywords = list(form.faqKeywords);
  const answers = list(form.faqAnswer);
  const faq: InboxSettingsValues["faq"] = [];
  for (let i = 0; i < Math.max(keywords.length, answers.length); i++) {
    const row = { keywords: keywords[i] ?? "", answer: answers[i] ?? "" };
    if (row.keywords.trim() || row.answer.trim()) faq.push(row);
  }
  return {
    name: form.name ?? "",
    greeting: form.greeting ?? "",
    handoffMode: form.handoffMode ?? "",
    faq,
    allowedOrigins: form.allowedOrigins ?? "",
    color: form.color ?? "",
    position: form.position ?? "",
    // An unchecked checkbox is not posted at all.
    requireIdentity: form.requireIdentity !== undefined,
    keepPageQuery: form.keepPageQuery !== undefined,
    email: emailValuesFromForm(form),
    hours: hoursValuesFromForm(form as Record<string, string | undefined>),
  };
}

export const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/**
 * A line of the allowed-websites box as a stored origin, or null. Forgiving about what people
 * paste from the address bar (a trailing slash, capitals in the host, a default port), strict
 * about the rest; what is stored is the canonical origin (parseOrigin), because the widget
 * compares the browser's Origin header with these values exactly.
 */
export function originFromLine(line: string): string | null {
  const value = line.trim();
  if (!/^https?:\/\//i.test(value)) return null;
  try {
    const url = new URL(value);
    // Nothing but scheme, host and port: no path, query, fragment or credentials.
    return url.href === `${url.origin}/` ? parseOrigin(url.origin) : null;
  } catch {
    return null;
  }
}

function parseFaq(rows: InboxSettingsValues["faq"], errors: InboxSettingsErrors): FaqEntry[] {
  if (rows.length > LIMITS.faqEntries) errors.fields.faq = `Use at most ${LIMITS.faqEntries} questions; remove ${rows.length - LIMITS.faqEntries}.`;
  return rows.map((row, i) => {
    const rowErrors: { keywords?: string; answer?: string } = {};
    const keywords = [...new Set(row.keywords.split(",").map((k) => k.trim()).filter(Boolean))];
    const answer = row.answer.trim();
    if (keywords.length === 0) rowErrors.keywords = "Add at least one keyword, or clear the answer to remove this question.";
    else if (keywords.length > LIMITS.faqKeywords) rowErrors.keywords = `Use at most ${LIMITS.faqKeywords} keywords.`;
    else {
      const long = keywords.find((k) => k.length > LIMITS.faqKeyword);
      if (long) rowErrors.keywords = `Keep each keyword within ${LIMITS.faqKeyword} characters ("${long.slice(0, 20)}…" is longer).`;
    }
    if (!answer) rowErrors.answer = "Write the answer the bot gives.";
    else if (answer.length > LIMITS.faqAnswer) rowErrors.answer = `Use at most ${LIMITS.faqAnswer} characters (this has ${answer.length}).`;
    if (rowErrors.keywords || rowErrors.answer) errors.faqRows[i] = rowErrors;
    return { keywords, answer };
  });
}

function parseOrigins(text: string, errors: InboxSettingsErrors): string[] {
  const origins: string[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    const origin = originFromLine(line);
    if (!origin) {
      const shown = line.trim().length > 60 ? `${line.trim().slice(0, 60)}…` : line.trim();
      errors.fields.allowedOrigins = `Line ${i + 1} ("${shown}") is not a website address like https://shop.example: scheme and host (and port), without a path.`;
      return [];
    }
    if (!origins.includes(origin)) origins.push(origin);
  }
  if (origins.length > LIMITS.origins) errors.fields.allowedOrigins = `List at most ${LIMITS.origins} websites.`;
  return origins;
}

/** Validates the whole form at once, so that every mistake is shown on the first try. */
export function parseInboxSettings(values: InboxSettingsValues): { ok: true; value: InboxSettings } | { ok: false; errors: InboxSettingsErrors } {
  const errors: InboxSettingsErrors = { fields: {}, faqRows: {} };
  const name = values.name.trim();
  if (!name) errors.fields.name = "Enter a name for this inbox.";
  else if (name.length > LIMITS.name) errors.fields.name = `Use at most ${LIMITS.name} characters (this has ${name.length}).`;

  const greeting = values.greeting.trim();
  if (greeting.length > LIMITS.greeting) errors.fields.greeting = `Use at most ${LIMITS.greeting} characters (this has ${greeting.length}).`;

  const handoffMode = values.handoffMode;
  if (handoffMode !== "bot" && handoffMode !== "immediate") errors.fields.handoffMode = "Choose how a new conversation starts.";

  const position = values.position;
  if (position !== "right" && position !== "left") errors.fields.position = "Choose a corner for the chat button.";

  const color = values.color.trim();
  if (!HEX_COLOR.test(color)) errors.fields.color = "Enter a colour as # and six hex digits, like #2563eb.";

  const faq = parseFaq(values.faq, errors);
  const allowedOrigins = parseOrigins(values.allowedOrigins, errors);
  const email = values.email ? parseEmailSettings(values.email, errors.fields) : {};
  const hours = values.hours ? parseHoursSettings(values.hours, errors.fields) : {};

  if (Object.keys(errors.fields).length || Object.keys(errors.faqRows).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name,
      greeting,
      handoffMode: handoffMode as InboxSettings["handoffMode"],
      faq,
      allowedOrigins,
      color: color.toLowerCase(),
      position: position as InboxSettings["position"],
      requireIdentity: values.requireIdentity,
      keepPageQuery: values.keepPageQuery,
      ...email,
      ...hours,
    },
  };
}

export function parseNewInboxName(form: typeof newInboxForm.static): { ok: true; name: string } | { ok: false; error: string } {
  const name = form.name?.trim() ?? "";
  if (!name) return { ok: false, error: "Enter a name for the new inbox, like the website it is for." };
  if (name.length > LIMITS.name) return { ok: false, error: `Use at most ${LIMITS.name} characters (this has ${name.length}).` };
  return { ok: true, name };
}

/** How many fields a refused save has to fix, for the message above the form. */
export function errorCount(errors: InboxSettingsErrors): number {
  return Object.keys(errors.fields).length + Object.values(errors.faqRows).reduce((n, row) => n + Object.keys(row).length, 0);
}
