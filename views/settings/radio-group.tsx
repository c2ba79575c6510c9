import { FieldError } from "../components/form-field.tsx";

/** A radio group: fieldset and legend, each option labelled, the error tied to the group. */
export function RadioGroup(props: {
  name: string;
  legend: string;
  value: string;
  error: string | undefined;
  options: Array<{ value: string; label: string; hint?: string }>;
}) {
  const errorId = `${props.name}-error`;
  return (
    <fieldset class="radio-group" aria-describedby={props.error ? errorId : undefined}>
      <legend safe>{props.legend}</legend>
      <FieldError id={errorId} message={props.error} />
      {props.options.map((option) => {
        const id = `${props.name}-${option.value}`;
        return (
          <div class="radio-option">
            <input
              type="radio"
              id={id}
              name={props.name}
              value={option.value}
              checked={props.value === option.value}
              aria-invalid={props.error ? "true" : undefined}
              aria-describedby={option.hint ? `${id}-hint` : undefined}
            />
            <label for={id} safe>
              {option.label}
            </label>
            {option.hint ? (
              <p class="hint" id={`${id}-hint`} safe>
                {option.hint}
              </p>
            ) : (
              ""
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
