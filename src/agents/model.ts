import { t } from "elysia";
import { MIN_PASSWORD_LENGTH } from "../config.ts";

// HTML forms post strings; the schemas only admit the fields, and the parsers below turn them into
// per-field messages that the page shows next to each field (a JSON 422 would be no use to a person).
export const setupForm = t.Object({
  name: t.Optional(t.String({ maxLength: 1000 })),
  email: t.Optional(t.String({ maxLength: 1000 })),
  password: t.Optional(t.String({ maxLength: 4096 })),
});

export const loginForm = t.Object({
  email: t.Optional(t.String({ maxLength: 1000 })),
  password: t.Optional(t.String({ maxLength: 4096 })),
  next: t.Optional(t.String({ maxLength: 2000 })),
});

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export interface NewAdmin {
  name: string;
  email: string;
  password: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_PASSWORD_LENGTH = 1024;

export function parseNewAdmin(
  form: typeof setupForm.static,
): { ok: true; value: NewAdmin } | { ok: false; errors: FieldErrors<keyof NewAdmin> } {
  const name = form.name?.trim() ?? "";
  const email = form.email?.trim().toLowerCase() ?? "";
  const password = form.password ?? "";
  const errors: FieldErrors<keyof NewAdmin> = {};
  if (!name) errors.name = "Enter your name.";
  else if (name.length > 100) errors.name = "Use at most 100 characters.";
  if (!EMAIL.test(email) || email.length > 254) errors.email = "Enter an email address like ana@example.com.";
  if (password.length < MIN_PASSWORD_LENGTH) errors.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  else if (password.length > MAX_PASSWORD_LENGTH) errors.password = `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: { name, email, password } };
}

/** Only same-site paths: an open redirect after sign-in would be a phishing tool. */
export function safeNextPath(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : "/inbox";
}
