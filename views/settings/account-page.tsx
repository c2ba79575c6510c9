import { Alert } from "../components/alert.tsx";
import { Field, fieldAria } from "../components/form-field.tsx";
import { Notice } from "../components/notice.tsx";
import { DateLocaleSection, type DateLocaleSectionProps } from "./date-locale-section.tsx";
import { QueueAlertSection, type QueueAlertSectionProps } from "./queue-alert-section.tsx";
import { SettingsLayout } from "./settings-layout.tsx";
import { TimeZoneList } from "./time-zone-list.tsx";

export interface AccountPageProps {
  me: { name: string; role: string };
  /** The zone in effect, and whether an admin saved it (otherwise it is TIME_ZONE's default). */
  current: { timeZone: string; saved: boolean };
  /** The zones to suggest while typing. */
  zones: string[];
  /** What was typed, when it came back with an error. */
  value?: string;
  error?: string;
  /** A fixed confirmation from the server ("Saved."). */
  notice?: string;
  queueAlert: QueueAlertSectionProps;
  dateLocale: DateLocaleSectionProps;
}

/** /settings/account (admins): settings of the whole account: the time zone analytics counts days in, how dates are written, and the queue alert. */
export function AccountPage(props: AccountPageProps) {
  return (
    <SettingsLayout title="Account" current="account" agent={props.me}>
      <h2>Account</h2>
      <Notice message={props.notice} />
      <Alert
        message={
          props.error
            ? "Nothing was saved. Fix the time zone below and save again."
            : props.queueAlert.error
              ? "Nothing was saved. Fix the alert wait below and save again."
              : props.dateLocale.error
                ? "Nothing was saved. Choose the language and region below and save again."
                : undefined
        }
      />
      <form method="post" action="/settings/account" novalidate class="card" aria-labelledby="account-zone-title">
        <h3 id="account-zone-title">Time zone</h3>
        <p safe>
          {props.current.saved
            ? `Now: ${props.current.timeZone}.`
            : `Now: ${props.current.timeZone}, the server's default (TIME_ZONE) until you save one here.`}
        </p>
        <Field
          id="time-zone"
          label="Time zone"
          hint='Analytics counts days from midnight to midnight in this zone. Type a city or region and choose its zone, like "Europe/Berlin" or "America/New_York".'
          error={props.error}
        >
          <input
            id="time-zone"
            name="timeZone"
            type="text"
            list="time-zones"
            value={props.value ?? props.current.timeZone}
            autocomplete="off"
            spellcheck="false"
            required
            autofocus={Boolean(props.error)}
            {...fieldAria("time-zone", props.error, "time-zone-hint")}
          />
        </Field>
        <TimeZoneList id="time-zones" zones={props.zones} />
        <button type="submit" class="button">
          Save time zone
        </button>
      </form>
      <DateLocaleSection {...props.dateLocale} />
      <QueueAlertSection {...props.queueAlert} />
    </SettingsLayout>
  );
}
