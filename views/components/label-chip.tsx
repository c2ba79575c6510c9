import { labelTextColor, type Label } from "../../src/labels/model.ts";

/**
 * A label as a coloured chip. The colour is an SVG fill behind the name (the pages' CSP allows no
 * style attribute, and a presentation attribute is none); the name is black or white, whichever
 * contrasts more with it (labelTextColor: at least 4.5:1). Styles: public/labels.css.
 */
export function LabelChip(props: { label: Label }) {
  const l = props.label;
  return (
    <span class={`label-chip label-text-${labelTextColor(l.color)}`} data-label-id={l.id}>
      <svg class="label-chip-fill" aria-hidden="true" focusable="false" viewBox="0 0 1 1" preserveAspectRatio="none">
        <rect width="1" height="1" fill={l.color} />
      </svg>
      <span class="label-chip-name" safe>
        {l.name}
      </span>
    </span>
  );
}
