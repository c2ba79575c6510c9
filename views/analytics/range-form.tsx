import { PRESET_DAYS, type RangeChoice } from "../../src/analytics/model.ts";
import { fieldAria } from "../components/form-field.tsx";

/**
 * The range: a plain GET form that works without JavaScript. The date inputs and their "Show"
 * button come first, so Enter in a date field submits the custom range (a form's default button
 * is its first); the presets are buttons of the same form that send range=7, 30 or 90.
 */
export function RangeForm(props: { choice: RangeChoice; error?: string | undefined }) {
  const aria = fieldAria("range-from", props.error);
  return (
    <form class="range-form" method="get" action="/analytics" aria-labelledby="range-form-title" novalidate>
      <h2 id="range-form-title" class="visually-hidden">
        Range
      </h2>
      <div class="range-custom">
        <div class="field">
          <label for="range-from">From</label>
          <input id="range-from" type="date" name="from" value={props.choice.from} {...aria} />
        </div>
        <div class="field">
          <label for="range-to">To</label>
          <input id="range-to" type="date" name="to" value={props.choice.to} aria-invalid={aria["aria-invalid"]} aria-describedby={aria["aria-describedby"]} />
        </div>
        <button type="submit" class="button" name="range" value="custom" aria-pressed={props.choice.range === "custom" ? "true" : "false"}>
          Show these days
        </button>
      </div>
      <div class="range-presets" role="group" aria-label="Or the last days up to today">
        {PRESET_DAYS.map((days) => (
          <button type="submit" class="button" name="range" value={String(days)} aria-pressed={props.choice.range === String(days) ? "true" : "false"} safe>
            {`Last ${days} days`}
          </button>
        ))}
      </div>
      {props.error ? (
        <p class="alert range-error" id="range-from-error" role="alert" safe>
          {props.error}
        </p>
      ) : (
        ""
      )}
    </form>
  );
}
