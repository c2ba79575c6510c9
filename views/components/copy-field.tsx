import type { Children } from "@kitajs/html";

/** The scripts a page showing <CopyField> loads, in this order (the component registers before Alpine starts). */
export const COPY_FIELD_SCRIPTS = ["/public/copy-field.js", "/public/vendor/alpine-csp.min.js"];

/**
 * A value to copy (an invite link): a read-only field, selectable without a script, and a button
 * that copies it and says "Copied" (public/copy-field.js, an Alpine component: the CSP allows no
 * inline code). `label` may hold markup; the caller escapes what it puts there.
 */
export function CopyField(props: { id: string; label: Children; value: string; buttonText: string; autofocus?: boolean }) {
  return (
    <div class="field" x-data="copyField">
      <label for={props.id}>{props.label}</label>
      <div class="copy-field">
        <input id={props.id} type="text" readonly value={props.value} autofocus={props.autofocus} x-ref="source" />
        <button type="button" class="button" x-on:click="copy">
          <span x-show="!copied" safe>
            {props.buttonText}
          </span>
          <span x-show="copied" x-cloak>
            Copied
          </span>
        </button>
      </div>
      <span class="visually-hidden" role="status" x-text="announcement"></span>
    </div>
  );
}
