import type { Children } from "@kitajs/html";

/** `aria-describedby` for a control: its error first (read first), then its hint. */
export function describedBy(...ids: Array<string | false | undefined>): string | undefined {
  const list = ids.filter(Boolean);
  return list.length ? list.join(" ") : undefined;
}

/**
 * The aria attributes of a control with the id `id` (spread them onto it): invalid while there is
 * an error, described by the error (`{id}-error`) and then by its hint, if any.
 */
export function fieldAria(id: string, error: string | undefined, hintId?: string) {
  return {
    "aria-invalid": error ? "true" : undefined,
    "aria-describedby": describedBy(error && `${id}-error`, hintId),
  };
}

export function FieldError(props: { id: string; message: string | undefined }) {
  return props.message ? (
    <p class="field-error" id={props.id} safe>
      {props.message}
    </p>
  ) : (
    ""
  );
}

export function Hint(props: { id: string; text: string }) {
  return (
    <p class="hint" id={props.id} safe>
      {props.text}
    </p>
  );
}

/**
 * A labelled control (the child, with the id `id` and `fieldAria` spread on it), then its hint
 * (`{id}-hint`) and its error (`{id}-error`).
 */
export function Field(props: { id: string; label: string; hint?: string; error?: string | undefined; children: Children }) {
  return (
    <div class="field">
      <label for={props.id} safe>
        {props.label}
      </label>
      {props.children}
      {props.hint ? <Hint id={`${props.id}-hint`} text={props.hint} /> : ""}
      <FieldError id={`${props.id}-error`} message={props.error} />
    </div>
  );
}

/** A labelled input with its error, wired for screen readers (aria-invalid, aria-describedby). */
export function FormField(props: {
  name: string;
  label: string;
  /** Default `field-{name}`. */
  id?: string;
  type?: string;
  value?: string | undefined;
  error?: string | undefined;
  autocomplete?: string;
  autofocus?: boolean;
}) {
  const id = props.id ?? `field-${props.name}`;
  return (
    <Field id={id} label={props.label} error={props.error}>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value}
        autocomplete={props.autocomplete}
        autofocus={props.autofocus}
        required
        {...fieldAria(id, props.error)}
      />
    </Field>
  );
}
