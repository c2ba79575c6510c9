export interface EmailPrefsSectionProps {
  message: boolean;
  queue: boolean;
  /** Admins also choose the queue alert. */
  admin: boolean;
  /** SMTP_URL is not set: nothing is emailed, and the choices are disabled. */
  emailOff: boolean;
}

/** /settings/profile: which emails SupportDesk sends this agent. */
export function EmailPrefsSection(props: EmailPrefsSectionProps) {
  return (
    <form method="post" action="/settings/profile/email" class="card" aria-labelledby="profile-email-title">
      <h3 id="profile-email-title">Email</h3>
      {props.emailOff ? <p class="lead">Email is off: SMTP_URL is not set.</p> : ""}
      {/* Never an empty form, also with every box unticked (an unticked box sends nothing). */}
      <input type="hidden" name="from" value="profile" />
      <p>
        <label>
          <input type="checkbox" name="message" value="on" checked={props.message} disabled={props.emailOff} /> Email me a customer's message in my
          conversations when I have had no inbox open for 10 minutes
        </label>
      </p>
      {props.admin ? (
        <p>
          <label>
            <input type="checkbox" name="queue" value="on" checked={props.queue} disabled={props.emailOff} /> Email me when a customer waits in the
            queue longer than the account's alert wait
          </label>
        </p>
      ) : (
        ""
      )}
      <button type="submit" class="button" disabled={props.emailOff}>
        Save email choices
      </button>
    </form>
  );
}
