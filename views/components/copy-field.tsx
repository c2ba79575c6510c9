import type { Children } from "@kitajs/html";

/** The script a page showing <CopyField> or a snippet loads: one document-wide click listener, no framework. */
export const COPY_SCRIPTS = ["/public/copy-text.js"];

/**
 * A value to copy (an invite or reset link): a read-only field, selectable without a script, and
 * a button that copies it and says "Copied" (public/copy-text.js), also to screen readers through
 * the status beside it. `label` may hold markup; the caller escapes what it puts there.
 */
export function CopyField(props: { id: string; label: Children; value: string; buttonText: string; autofocus?: boolean }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <div class="copy-field">
        <input id={props.id} type="text" readonly value={props.value} autofocus={props.autofocus} />
        <CopyButton from={props.id} text={props.buttonText} />
      </div>
      <CopyStatus from={props.id} />
    </div>
  );
}

/** The button that copies the field `from` (public/copy-text.js). */
export function CopyButton(props: { from: string; text: string }) {
  return (
    <button type="button" class="button" data-copy-from={props.from} data-copy-status={`${props.from}-copied`} safe>
      {props.text}
    </button>
  );
}

/** Where "Copied" is announced for the field `from`. */
export function CopyStatus(props: { from: string }) {
  return <span id={`${props.from}-copied`} class="visually-hidden" role="status"></span>;
}
