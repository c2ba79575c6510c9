import type { ConversationSummary } from "../../src/conversations/model.ts";
import { DateTime } from "../components/clock.tsx";

/** Where a snooze verb's answer (the header again) goes, and its refusal (the notice beside it). */
function verbTarget(id: string) {
  return { "hx-target": `#conv-status-${id}`, "hx-swap": "outerHTML", "hx-status:4xx": `target:#conv-notice-${id} swap:innerHTML` };
}

/**
 * The header's snooze: while snoozed, until when and "Unsnooze"; otherwise a "Snooze" menu with
 * the presets (1 hour; tomorrow and next Monday at 09:00 on the account's clock) and a date-time
 * of one's own. Part of ConversationStatus, so every push of the header brings it up to date.
 */
export function SnoozeControl(props: { summary: Pick<ConversationSummary, "id" | "status" | "snoozedUntil"> }) {
  const s = props.summary;
  if (s.status === "closed") return "";
  if (s.snoozedUntil) {
    return (
      <span class="snooze-state">
        <span class="snoozed-until">
          Snoozed until <DateTime at={s.snoozedUntil} zone />
        </span>{" "}
        <button type="button" class="button verb-unsnooze" hx-post={`/inbox/c/${s.id}/unsnooze`} {...verbTarget(s.id)}>
          Unsnooze
        </button>
      </span>
    );
  }
  return (
    <details class="snooze-menu">
      <summary class="button" data-shortcut="z">
        Snooze
      </summary>
      <form class="snooze-options" hx-post={`/inbox/c/${s.id}/snooze`} {...verbTarget(s.id)} aria-label="Snooze until">
        <button type="submit" name="preset" value="hour">
          1 hour
        </button>
        <button type="submit" name="preset" value="tomorrow">
          Tomorrow, 09:00
        </button>
        <button type="submit" name="preset" value="week">
          Next week (Monday 09:00)
        </button>
        <label>
          Until <input type="datetime-local" name="until" />
        </label>
        <button type="submit" name="preset" value="custom">
          Snooze until then
        </button>
      </form>
    </details>
  );
}
