import { Field, fieldAria } from "../components/form-field.tsx";
import { DATE_LOCALES, formatDateTime } from "../components/dates.ts";

export interface DateLocaleSectionProps {
  /** The saved locale; null: the English default. */
  locale: string | null;
  /** What was chosen, when it came back with an error. */
  value?: string;
  error?: string;
}

/** An instant every option shows itself with, so the admin sees what they choose. */
const SAMPLE = new Date("2026-03-27T14:05:00Z");

/** Settings → Account: the language and region dates are written in for every agent. */
export function DateLocaleSection(props: DateLocaleSectionProps) {
  const chosen = props.value ?? props.locale ?? "";
  return (
    <form method="post" action="/settings/account/locale" novalidate class="card" aria-labelledby="date-locale-title">
      <h3 id="date-locale-title">Language and region for dates</h3>
      <Field
        id="date-locale"
        label="Language and region for dates"
        hint="How the inbox, tickets and analytics write dates and times for every agent (times stay in UTC)."
        error={props.error}
      >
        <select id="date-locale" name="locale" autofocus={Boolean(props.error)} {...fieldAria("date-locale", props.error, "date-locale-hint")}>
          <option value="" selected={chosen === ""} safe>
            {`Default (English): ${formatDateTime(SAMPLE, null)}`}
          </option>
          {DATE_LOCALES.map((l) => (
            <option value={l.tag} selected={chosen === l.tag} safe>
              {`${l.name}: ${formatDateTime(SAMPLE, l.tag)}`}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" class="button">
        Save language and region
      </button>
    </form>
  );
}
