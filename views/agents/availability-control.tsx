import type { Availability } from "../../src/availability/queries.ts";

/**
 * The header's Online / Away switch, on every signed-in page. A change posts the form (htmx) and
 * the answer is this control again; without scripts the button posts it and the page comes back.
 */
export function AvailabilityControl(props: { availability: Availability }) {
  const away = props.availability === "away";
  return (
    <form
      class={away ? "availability is-away" : "availability"}
      method="post"
      action="/settings/profile/availability"
      hx-post="/settings/profile/availability"
      hx-trigger="change"
      hx-swap="outerHTML"
    >
      <select name="availability" aria-label="Availability" class="availability-select">
        <option value="online" selected={!away}>
          Online
        </option>
        <option value="away" selected={away}>
          Away
        </option>
      </select>
      <noscript>
        <button type="submit" class="link-button">
          Set
        </button>
      </noscript>
    </form>
  );
}
