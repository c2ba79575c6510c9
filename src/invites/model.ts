import { t } from "elysia";
import { nameProblem, passwordProblem, ROLES, type FieldErrors, type Role } from "../agents/model.ts";
import { isEmailAddress } from "../http/email-address.ts";

export const INVITE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export const inviteForm = t.Object({
  email: t.Optional(t.String({ maxLength: 1000 })),
  role: t.Optional(t.String({ maxLength: 20 })),
});

export const acceptForm = t.Object({
  name: t.Optional(t.String({ maxLength: 1000 })),
  password: t.Optional(t.String({ maxLength: 4096 })),
  // The hidden username field for password managers; ignored.
  username: t.Optional(t.String({ maxLength: 1000 })),
});

/** base64url of 32 random bytes: 43 characters. Anything else is not a token we made. */
export const tokenParams = t.Object({ token: t.String({ maxLength: 200 }) });

export interface NewInvite {
  email: string;
  role: Role;
}

export function parseInvite(
  form: typeof inviteForm.static,
): { ok: true; value: NewInvite } | { ok: false; errors: FieldErrors<keyof NewInvite> } {
  const email = form.email?.trim().toLowerCase() ?? "";
  const role = form.role ?? "agent";
  const errors: FieldErrors<keyof NewInvite> = {};
  if (!isEmailAddress(email, 254)) errors.email = "Enter an email address like ana@example.com.";
  if (!(ROLES as readonly string[]).includes(role)) errors.role = "Choose Agent or Admin.";
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: { email, role: role as Role } };
}

export interface Acceptance {
  name: string;
  password: string;
}

/** The same rules as /setup. */
export function parseAcceptance(
  form: typeof acceptForm.static,
): { ok: true; value: Acceptance } | { ok: false; errors: FieldErrors<keyof Acceptance> } {
  const name = form.name?.trim() ?? "";
  const password = form.password ?? "";
  const errors: FieldErrors<keyof Acceptance> = {};
  const nameError = nameProblem(name);
  if (nameError) errors.name = nameError;
  const passwordError = passwordProblem(password);
  if (passwordError) errors.password = passwordError;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: { name, password } };
}

export function looksLikeToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
