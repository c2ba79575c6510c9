import { t } from "elysia";
import { MIN_PASSWORD_LENGTH } from "../config.ts";
import { isEmailAddress } from "../http/email-address.ts";

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

const MAX_PASSWORD_LENGTH = 1024;

export function parseNewAdmin(
  form: typeof setupForm.static,
): { ok: true; value: NewAdmin } | { ok: false; errors: FieldErrors<keyof NewAdmin> } {
  const name = form.name?.trim() ?? "";
  const email = form.email?.trim().toLowerCase() ?? "";
  const password = form.password ?? "";
  const errors: FieldErrors<keyof NewAdmin> = {};
  const nameError = nameProblem(name);
  if (nameError) errors.name = nameError;
  if (!isEmailAddress(email, 254)) errors.email = "Enter an email address like ana@example.com.";
  const passwordError = passwordProblem(password);
  if (passwordError) errors.password = passwordError;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: { name, email, password } };
}

/** Password rules shared by setup, invites and the profile: one message per problem. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  return undefined;
}

/** Names as setup checks them. */
export function nameProblem(name: string): string | undefined {
  if (!name) return "Enter your name.";
  if (name.length > 100) return "Use at most 100 characters.";
  return undefined;
}

export const ROLES = ["admin", "agent"] as const;
export type Role = (typeof ROLES)[number];

export const profileNameForm = t.Object({ name: t.Optional(t.String({ maxLength: 1000 })) });

export const passwordForm = t.Object({
  current: t.Optional(t.String({ maxLength: 4096 })),
  password: t.Optional(t.String({ maxLength: 4096 })),
});

/** Unchecked checkboxes are not posted at all, so both fields are optional: absent means off. */
export const notificationsForm = t.Object({
  sound: t.Optional(t.String({ maxLength: 10 })),
  desktop: t.Optional(t.String({ maxLength: 10 })),
});

export interface NotificationPrefs {
  sound: boolean;
  desktop: boolean;
}

/** The email choices of /settings/profile; as above, an unchecked box is absent (off). */
/** The header's Online / Away switch. */
export const availabilityForm = t.Object({ availability: t.Union([t.Literal("online"), t.Literal("away")]) });

/** The agent's look (Settings → Profile); "system" follows the device's light or dark setting. */
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];
export const themeForm = t.Object({ theme: t.Union(THEMES.map((theme) => t.Literal(theme))) });

export const emailNotificationsForm = t.Object({
  message: t.Optional(t.String({ maxLength: 10 })),
  queue: t.Optional(t.String({ maxLength: 10 })),
});

export interface EmailNotificationPrefs {
  /** A customer's message in my conversations while I have had no inbox open for 10 minutes. */
  message: boolean;
  /** Admins: a customer waits in the queue longer than the account's alert wait. */
  queue: boolean;
}
