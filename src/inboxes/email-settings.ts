// The inbox's email settings (issue 14): reply emails on or off, how long a reply waits unread
// before it is emailed, and the name the emails come from. Part of the inbox settings form
// (model.ts), in its own section; validated like the other fields.
import { t } from "elysia";
import type { Inbox } from "./queries.ts";

export const EMAIL_LIMITS = { delayMinMinutes: 1, delayMaxMinutes: 1440, senderName: 100 } as const;

/**
 * The section's fields in the form schema. `emailSettings` is a hidden field inside the section:
 * without SMTP the section is disabled, a browser posts none of its fields, and the stored
 * settings must then stay as they are (an unposted checkbox would otherwise read as "off").
 */
export const emailSettingsFields = {
  emailSettings: t.Optional(t.String({ maxLength: 100 })),
  replyEmails: t.Optional(t.String({ maxLength: 100 })),
  replyEmailDelayMinutes: t.Optional(t.String({ maxLength: 100 })),
  emailSenderName: t.Optional(t.String({ maxLength: 1000 })),
};

type EmailForm = { [K in keyof typeof emailSettingsFields]?: string };

export type EmailSettings = Pick<Inbox, "replyEmails" | "replyEmailDelayMinutes" | "emailSenderName">;

/** As the section shows them: what was typed, so that a refused save loses nothing. */
export interface EmailSettingsValues {
  replyEmails: boolean;
  replyEmailDelayMinutes: string;
  emailSenderName: string;
}

export type EmailField = "replyEmailDelayMinutes" | "emailSenderName";

export function emailValuesFromInbox(inbox: EmailSettings): EmailSettingsValues {
  return {
    replyEmails: inbox.replyEmails,
    replyEmailDelayMinutes: String(inbox.replyEmailDelayMinutes),
    emailSenderName: inbox.emailSenderName ?? "",
  };
}

/** null: the section was not posted (disabled), and the stored settings stay. */
export function emailValuesFromForm(form: EmailForm): EmailSettingsValues | null {
  if (form.emailSettings === undefined) return null;
  return {
    // An unchecked checkbox is not posted at all.
    replyEmails: form.replyEmails !== undefined,
    replyEmailDelayMinutes: form.replyEmailDelayMinutes ?? "",
    emailSenderName: form.emailSenderName ?? "",
  };
}

/** The settings to store, with a message per wrong field in `errors`. */
export function parseEmailSettings(values: EmailSettingsValues, errors: Partial<Record<EmailField, string>>): EmailSettings {
  const { delayMinMinutes: min, delayMaxMinutes: max } = EMAIL_LIMITS;
  const rawDelay = values.replyEmailDelayMinutes.trim();
  const delay = /^\d{1,5}$/.test(rawDelay) ? Number(rawDelay) : NaN;
  if (!(delay >= min && delay <= max)) errors.replyEmailDelayMinutes = `Enter a whole number of minutes from ${min} to ${max} (a day).`;

  const senderName = values.emailSenderName.trim();
  // It goes into the From header: a line break there would start a header of its own.
  if (/[\u0000-\u001f\u007f]/.test(senderName)) errors.emailSenderName = "Use one line, without line breaks or tabs.";
  else if (senderName.length > EMAIL_LIMITS.senderName) errors.emailSenderName = `Use at most ${EMAIL_LIMITS.senderName} characters (this has ${senderName.length}).`;

  return { replyEmails: values.replyEmails, replyEmailDelayMinutes: delay, emailSenderName: senderName || null };
}
