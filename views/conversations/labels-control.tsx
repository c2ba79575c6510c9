import type { Label, LabelOption } from "../../src/labels/model.ts";
import { LabelChip } from "../components/label-chip.tsx";

/** Every label, each saying whether the conversation carries `on` (by id). */
export function labelOptions(all: Label[], on: Label[]): LabelOption[] {
  const ids = new Set(on.map((l) => l.id));
  return all.map((l) => ({ ...l, on: ids.has(l.id) }));
}

/** The conversation's labels as chips, beside the "Labels" button (which they describe). */
function LabelChips(props: { conversationId: string; options: LabelOption[]; oob?: boolean }) {
  const on = props.options.filter((o) => o.on);
  return (
    <ul id={`conv-labels-${props.conversationId}`} class="label-chips" hx-swap-oob={props.oob ? "true" : undefined}>
      {on.length ? (
        on.map((l) => (
          <li>
            <LabelChip label={l} />
          </li>
        ))
      ) : (
        <li class="label-none">No labels</li>
      )}
    </ul>
  );
}

/**
 * The menu's checkboxes, one per label: each change posts that label alone, on or off (an add or
 * a remove, whatever the others are meanwhile), one after the other in the order clicked (queued
 * on the menu, which answers never replace). Each has a stable id, so the focus stays on it when an answer or a colleague's
 * change replaces the list.
 */
function LabelChoices(props: { conversationId: string; options: LabelOption[]; oob?: boolean }) {
  const id = props.conversationId;
  return (
    <fieldset id={`conv-label-choices-${id}`} class="label-choices" hx-swap-oob={props.oob ? "true" : undefined}>
      <legend>Labels</legend>
      {props.options.length ? (
        props.options.map((l) => (
          <label class="label-choice" for={`conv-label-${id}-${l.id}`}>
            <input
              type="checkbox"
              id={`conv-label-${id}-${l.id}`}
              name="on"
              value="true"
              checked={l.on}
              hx-post={`/inbox/c/${id}/labels`}
              hx-vals={JSON.stringify({ label: l.id })}
              hx-swap="none"
              hx-sync="closest .labels-menu:queue all"
            />
            <LabelChip label={l} />
          </label>
        ))
      ) : (
        <p class="label-choices-empty">
          No labels yet. Admins make them in <a href="/settings/labels">Settings, Labels</a>.
        </p>
      )}
    </fieldset>
  );
}

/**
 * What changes when the conversation's labels do: the chips and the menu's checkboxes, out of
 * band. The answer to a change and the push to the agents viewing the conversation are the same
 * bytes (src/labels/notify.tsx); the menu itself stays open.
 */
export function LabelsLive(props: { conversationId: string; options: LabelOption[] }) {
  return (
    <>
      <LabelChips conversationId={props.conversationId} options={props.options} oob />
      <LabelChoices conversationId={props.conversationId} options={props.options} oob />
    </>
  );
}

/**
 * The conversation's labels in its header: a button named "Labels" (shortcut "l"), described by
 * the chips beside it, that opens a menu of checkboxes (a native popover: Escape or a click
 * outside closes it, and focus goes back to the button). public/inbox.js moves the focus into it.
 * Each time it opens or closes it asks for its checkboxes again: labels made, renamed or deleted
 * since the pane was drawn are there (the conversations carrying an edited label get it pushed).
 */
export function LabelsControl(props: { conversationId: string; options: LabelOption[] }) {
  const id = props.conversationId;
  return (
    <div class="conversation-labels">
      <button
        type="button"
        class="button labels-button"
        popovertarget={`labels-menu-${id}`}
        aria-describedby={`conv-labels-${id}`}
        data-shortcut="l"
      >
        Labels
      </button>
      <LabelChips conversationId={id} options={props.options} />
      <div id={`labels-menu-${id}`} class="labels-menu" popover="auto" hx-get={`/inbox/c/${id}/labels`} hx-trigger="toggle" hx-swap="none">
        <LabelChoices conversationId={id} options={props.options} />
        <button type="button" class="button" popovertarget={`labels-menu-${id}`} popovertargetaction="hide">
          Done
        </button>
      </div>
    </div>
  );
}
