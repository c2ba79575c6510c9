import { t } from "elysia";
import type { FieldErrors } from "../agents/model.ts";
import { unknownVariables, VARIABLE_LIST } from "./variables.ts";

export const SCOPES = ["personal", "team"] as const;
export type Scope = (typeof SCOPES)[number];

export const LIMITS = {
  name: 100,
  shortcut: 40,
  /** As much as a reply may hold (the composer's maxlength). */
  body: 5000,
  /** The settings page's search and the composer's query. */
  search: 100,
  /** Options the composer's list shows at once. */
  suggestions: 8,
} as const;

/** What follows `/` in the composer: letters, digits, - and _. */
export const SHORTCUT = /^[A-Za-z0-9_-]+$/;

// Forms post strings; the schema only admits the fields (with caps far above the limits, so that
// too long a text comes back as the form with a message, not as a bare 422).
export const replyForm = t.Object({
  name: t.Optional(t.String({ maxLength: 1000 })),
  shortcut: t.Optional(t.String({ maxLength: 1000 })),
  body: t.Optional(t.String({ maxLength: 20_000 })),
  scope: t.Optional(t.String({ maxLength: 20 })),
});
export type ReplyFormValues = typeof replyForm.static;

export const searchQuery = t.Object({ q: t.Optional(t.String({ maxLength: LIMITS.search })), done: t.Optional(t.String({ maxLength: 20 })) });

export interface ReplyInput {
  name: string;
  shortcut: string;
  body: string;
}
export type ReplyErrors = FieldErrors<keyof ReplyInput>;

/** Personal unless the form asks for the team's (which only admins may write). */
export const scopeOf = (form: ReplyFormValues): Scope => (form.scope === "team" ? "team" : "personal");

/** The settings page's search as typed: "/thanks" searches for the shortcut "thanks". */
export const searchText = (q: string | undefined) => (q ?? "").trim().replace(/^\//, "");

/** The form's fields checked, each problem said next to its field. */
export function parseReply(form: ReplyFormValues): { ok: true; value: ReplyInput } | { ok: false; errors: ReplyErrors } {
  const name = form.name?.trim() ?? "";
  // "/thanks" is what people type: the slash is the composer's, not the shortcut's.
  const shortcut = (form.shortcut ?? "").trim().replace(/^\//, "");
  const body = (form.body ?? "").replace(/\r\n/g, "\n").trim();
  const errors: ReplyErrors = {};
  if (!name) errors.name = "Enter a name, like Thanks for waiting.";
  else if (name.length > LIMITS.name) errors.name = `Use at most ${LIMITS.name} characters.`;
  if (!shortcut) errors.shortcut = "Enter a shortcut, like thanks.";
  else if (!SHORTCUT.test(shortcut)) errors.shortcut = "Use only letters, digits, - and _ (no spaces).";
  else if (shortcut.length > LIMITS.shortcut) errors.shortcut = `Use at most ${LIMITS.shortcut} characters.`;
  const unknown = unknownVariables(body);
  if (!body) errors.body = "Enter the text of the reply.";
  else if (body.length > LIMITS.body) errors.body = `Use at most ${LIMITS.body.toLocaleString("en")} characters.`;
  else if (unknown.length) errors.body = `${unknown.join(", ")} ${unknown.length > 1 ? "are not variables" : "is not a variable"}: use ${VARIABLE_LIST}.`;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: { name, shortcut, body } };
}
