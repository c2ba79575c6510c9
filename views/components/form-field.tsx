/** A labelled input with its error, wired for screen readers (aria-invalid, aria-describedby). */
export function FormField(props: {
  name: string;
  label: string;
  type?: string;
  value?: string;
  error?: string;
  autocomplete?: string;
  autofocus?: boolean;
}) {
  const id = `field-${props.name}`;
  const errorId = `${id}-error`;
  return (
    <div class="field">
      <label for={id} safe>
        {props.label}
      </label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value}
        autocomplete={props.autocomplete}
        autofocus={props.autofocus}
        required
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.error ? errorId : undefined}
      />
      {props.error ? (
        <p class="field-error" id={errorId} safe>
          {props.error}
        </p>
      ) : (
        ""
      )}
    </div>
  );
}
