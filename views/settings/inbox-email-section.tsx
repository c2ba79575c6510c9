import { EMAIL_LIMITS, type EmailSettingsValues } from "../../src/inboxes/email-settings.ts";
import type { InboxSettingsErrors } from "../../src/inboxes/model.ts";
import { Field, fieldAria } from "../components/form-field.tsx";

/** What the deployment can do by email: it decides whether the section can be changed, and what it says. */
export interface EmailAbility {
  /** SMTP_URL is set: emails can be sent. */
  smtp: boolean;
  /** INBOUND_EMAIL_DOMAIN is set: customers can answer an email. */
  inbound: boolean;
}

/**
 * Reply emails: on or off, the delay, the sender name. Without SMTP the fields are shown disabled,
 * with why; a disabled fieldset posts nothing, so the stored settings stay (email-settings.ts).
 */
export function EmailSection(props: { values: EmailSettingsValues; errors: InboxSettingsErrors["fields"]; ability: EmailAbility }) {
  const { values, errors: e, ability } = props;
  return (
    <section class="card" aria-labelledby="email-heading">
      <h2 id="email-heading">Email</h2>
      {ability.smtp ? (
        <p class="hint email-status" id="email-status">
          {ability.inbound
            ? "Customers who left an email address get the replies they have not read by email, and can answer the email."
            : "Customers who left an email address get the replies they have not read by email. Replies by email are off: INBOUND_EMAIL_DOMAIN is not set, so the email asks them to answer through its link."}
        </p>
      ) : (
        <p class="email-off" id="email-status">
          Email is off: SMTP_URL is not set. Set it and restart SupportDesk to email customers the replies they miss.
        </p>
      )}
      <fieldset class="plain-fieldset" disabled={!ability.smtp} aria-describedby="email-status">
        <legend class="visually-hidden">Reply emails</legend>
        <input type="hidden" name="emailSettings" value="on" />
        <div class="checkbox-field field">
          <input type="checkbox" id="replyEmails" name="replyEmails" value="on" checked={values.replyEmails} aria-describedby="replyEmails-hint" />
          <label for="replyEmails">Email unread replies</label>
          <p class="hint" id="replyEmails-hint">
            One email per wait with every reply the customer has not read, each at most once. Customers can unsubscribe from its link.
          </p>
        </div>
        <Field
          id="replyEmailDelayMinutes"
          label="Wait before emailing (minutes)"
          hint={`From ${EMAIL_LIMITS.delayMinMinutes} to ${EMAIL_LIMITS.delayMaxMinutes}. Replies the customer reads in the chat meanwhile are not emailed.`}
          error={e.replyEmailDelayMinutes}
        >
          <input
            id="replyEmailDelayMinutes"
            name="replyEmailDelayMinutes"
            type="number"
            inputmode="numeric"
            min={String(EMAIL_LIMITS.delayMinMinutes)}
            max={String(EMAIL_LIMITS.delayMaxMinutes)}
            step="1"
            required
            value={values.replyEmailDelayMinutes}
            {...fieldAria("replyEmailDelayMinutes", e.replyEmailDelayMinutes, "replyEmailDelayMinutes-hint")}
          />
        </Field>
        <Field id="emailSenderName" label="Sender name" hint="The name the emails come from. Leave it empty to use the inbox's name." error={e.emailSenderName}>
          <input
            id="emailSenderName"
            name="emailSenderName"
            type="text"
            maxlength={String(EMAIL_LIMITS.senderName)}
            value={values.emailSenderName}
            {...fieldAria("emailSenderName", e.emailSenderName, "emailSenderName-hint")}
          />
        </Field>
      </fieldset>
    </section>
  );
}
