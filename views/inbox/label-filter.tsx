import type { Tab } from "../../src/conversations/model.ts";
import type { Label } from "../../src/labels/model.ts";

/**
 * The list's label filter: a GET form, so the filter is in the URL like the tab
 * (/inbox?tab=open&label=…) and works without JavaScript (its button, in <noscript>). With
 * htmx a change loads that page and keeps its list column, as a tab does. Nothing without labels
 * (unless the URL asks for one).
 */
export function LabelFilter(props: { tab: Tab; labels: Label[]; current: string | null }) {
  if (!props.labels.length && !props.current) return "";
  return (
    <form
      class="inbox-label-filter"
      method="get"
      action="/inbox"
      hx-get="/inbox"
      hx-select="#list-column"
      hx-target="#list-column"
      hx-swap="outerHTML"
      hx-push-url="true"
      hx-trigger="change"
    >
      <input type="hidden" name="tab" value={props.tab} />
      <label for="inbox-label-filter">Label</label>
      <select id="inbox-label-filter" name="label">
        <option value="">All labels</option>
        {props.labels.map((l) => (
          <option value={l.id} selected={l.id === props.current} safe>
            {l.name}
          </option>
        ))}
        {/* Deleted meanwhile: the rows are those of the label asked for (none), and the choice says so. */}
        {props.current && !props.labels.some((l) => l.id === props.current) ? (
          <option value={props.current} selected>
            A deleted label
          </option>
        ) : (
          ""
        )}
      </select>
      <noscript>
        <button type="submit" class="button">
          Filter
        </button>
      </noscript>
    </form>
  );
}
