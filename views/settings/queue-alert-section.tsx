import { Field, fieldAria } from "../components/form-field.tsx";

export interface QueueAlertSectionProps {
  /** The saved wait in minutes; null: off. */
  minutes: number | null;
  /** SMTP_URL is not set: nothing can be emailed, and the form is disabled. */
  emailOff: boolean;
  /** What was typed, when it came back with an error. */
  value?: string;
  error?: string;
}

const HINT =
  "Admins who chose it in their profile get an email when a customer has waited in the queue longer than this many minutes (1 to 1440). Empty: off. A change applies to customers who join the queue from then on.";

/** Settings → Account: the queue alert (off by default). */
export function QueueAlertSection(props: QueueAlertSectionProps) {
  const now = props.minutes === null ? "Now: off." : `Now: after ${props.minutes} ${props.minutes === 1 ? "minute" : "minutes"} in the queue.`;
  return (
    <form method="post" action="/settings/account/queue-alert" novalidate class="card" aria-labelledby="queue-alert-title">
      <h3 id="queue-alert-title">Queue alert</h3>
      {props.emailOff ? <p class="lead">Email is off: SMTP_URL is not set.</p> : ""}
      <p safe>{now}</p>
      <Field id="queue-alert-minutes" label="Alert wait in minutes" hint={HINT} error={props.error}>
        <input
          id="queue-alert-minutes"
          name="minutes"
          type="text"
          inputmode="numeric"
          value={props.value ?? (props.minutes === null ? "" : String(props.minutes))}
          autocomplete="off"
          disabled={props.emailOff}
          autofocus={Boolean(props.error)}
          {...fieldAria("queue-alert-minutes", props.error, "queue-alert-minutes-hint")}
        />
      </Field>
      <button type="submit" class="button" disabled={props.emailOff}>
        Save queue alert
      </button>
    </form>
  );
}
