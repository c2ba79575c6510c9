// What an agent may change about a contact in the contact panel: name, email and notes.
import { t } from "elysia";
import { isEmailAddress } from "../http/email-address.ts";

export const NAME_MAX = 100;
export const EMAIL_MAX = 254;
export const NOTES_MAX = 2000;

/** The panel's form as posted; lengths are checked by parseContactEdit (with a sentence), the caps here only stop garbage. */
export const contactEditForm = t.Object({
  name: t.Optional(t.String({ maxLength: 10_000 })),
  email: t.Optional(t.String({ maxLength: 10_000 })),
  notes: t.Optional(t.String({ maxLength: 100_000 })),
});

/** A contact's editable fields; null clears one (a nameless contact is "Visitor 4821" again). */
export interface ContactEdit {
  name: string | null;
  email: string | null;
  notes: string | null;
}

export type ContactEditErrors = Partial<Record<keyof ContactEdit, string>>;

/** What the form showed, to show it again with the errors. */
export type ContactEditValues = Record<keyof ContactEdit, string>;

export function parseContactEdit(form: typeof contactEditForm.static): { ok: true; value: ContactEdit } | { ok: false; errors: ContactEditErrors; values: ContactEditValues } {
  const values: ContactEditValues = { name: form.name?.trim() ?? "", email: form.email?.trim() ?? "", notes: form.notes?.trim() ?? "" };
  const errors: ContactEditErrors = {};
  if (values.name.length > NAME_MAX) errors.name = `Use at most ${NAME_MAX} characters for the name.`;
  if (values.email && !isEmailAddress(values.email, EMAIL_MAX)) errors.email = "Enter an email address like sam@example.com, or leave it empty.";
  if (values.notes.length > NOTES_MAX) errors.notes = `Use at most ${NOTES_MAX.toLocaleString("en")} characters for notes (now ${values.notes.length.toLocaleString("en")}).`;
  if (Object.keys(errors).length) return { ok: false, errors, values };
  return { ok: true, value: { name: values.name || null, email: values.email || null, notes: values.notes || null } };
}
