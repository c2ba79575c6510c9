import { WEEKDAYS } from "../../src/inboxes/business-hours.ts";
import { HOURS_LIMITS, type HoursSettingsValues } from "../../src/inboxes/hours-settings.ts";
import type { InboxSettingsErrors } from "../../src/inboxes/model.ts";
import { Field, FieldError, fieldAria } from "../components/form-field.tsx";
import { RadioGroup } from "./radio-group.tsx";
import { TimeZoneList } from "./time-zone-list.tsx";

/** Business hours, the reply time the chat shows, and how new conversations are assigned. */
export function HoursSection(props: { values: HoursSettingsValues; errors: InboxSettingsErrors["fields"]; accountZone: string }) {
  const { values, errors: e } = props;
  return (
    <section class="card" aria-labelledby="hours-heading">
      <h2 id="hours-heading">Hours and assignment</h2>
      <input type="hidden" name="hoursSettings" value="on" />
      <div class="checkbox-field field">
        <input type="checkbox" id="hoursOn" name="hoursOn" value="on" checked={values.hoursOn} aria-describedby="hoursOn-hint" />
        <label for="hoursOn">Set business hours</label>
        <p class="hint" id="hoursOn-hint">
          Outside them the chat tells customers when the team is back and offers to answer by email. Unticked: always open.
        </p>
      </div>
      <fieldset class="radio-group hours-days" aria-describedby={e.hours ? "hours-error" : undefined}>
        <legend>Open days (closing before opening runs overnight)</legend>
        <FieldError id="hours-error" message={e.hours} />
        {values.days.map((day, d) => (
          <div class="hours-day">
            <input type="checkbox" id={`open${d}`} name={`open${d}`} value="on" checked={day.open} />
            <label for={`open${d}`}>{WEEKDAYS[d]}</label>
            <input type="time" name={`from${d}`} value={day.from} aria-label={`${WEEKDAYS[d]} opens`} />
            <input type="time" name={`to${d}`} value={day.to} aria-label={`${WEEKDAYS[d]} closes`} />
          </div>
        ))}
      </fieldset>
      <Field id="timeZone" label="Time zone" hint={`Type a city or region and choose its zone, like Europe/Berlin. Leave it empty for the account's (${props.accountZone}).`} error={e.timeZone}>
        <input
          id="timeZone"
          name="timeZone"
          type="text"
          list="inbox-time-zones"
          value={values.timeZone}
          autocomplete="off"
          spellcheck="false"
          {...fieldAria("timeZone", e.timeZone, "timeZone-hint")}
        />
      </Field>
      <TimeZoneList id="inbox-time-zones" />
      <RadioGroup
        name="replyTimeMode"
        legend="Expected reply time in the chat"
        value={values.replyTimeMode}
        error={e.replyTimeMode}
        options={[
          { value: "auto", label: "From recent replies", hint: "The median first response of the last 7 days, like “Usually replies in a few minutes”." },
          { value: "fixed", label: "This text" },
          { value: "off", label: "Don't show" },
        ]}
      />
      <Field id="replyTimeText" label="Reply time text" hint="Shown with “This text”." error={e.replyTimeText}>
        <input id="replyTimeText" name="replyTimeText" type="text" maxlength={String(HOURS_LIMITS.replyTimeText)} value={values.replyTimeText} {...fieldAria("replyTimeText", e.replyTimeText, "replyTimeText-hint")} />
      </Field>
      <RadioGroup
        name="assignmentMode"
        legend="New conversations"
        value={values.assignmentMode}
        error={e.assignmentMode}
        options={[
          { value: "manual", label: "Wait in the queue", hint: "Agents take them from the queue." },
          { value: "round_robin", label: "Round-robin", hint: "Each goes to the online agent (Online and with the inbox open) who got one longest ago, within the limit below." },
        ]}
      />
      <Field id="maxOpenPerAgent" label="Open conversations per agent (round-robin)" hint="Past it an agent gets no more; empty: no limit." error={e.maxOpenPerAgent}>
        <input
          id="maxOpenPerAgent"
          name="maxOpenPerAgent"
          type="number"
          inputmode="numeric"
          min="1"
          max={String(HOURS_LIMITS.maxOpenPerAgent)}
          value={values.maxOpenPerAgent}
          {...fieldAria("maxOpenPerAgent", e.maxOpenPerAgent, "maxOpenPerAgent-hint")}
        />
      </Field>
    </section>
  );
}
