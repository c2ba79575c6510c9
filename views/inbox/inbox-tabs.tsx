import { COUNT_CAP, type Tab } from "../../src/conversations/model.ts";
import { listHref } from "../conversations/conversation-list.tsx";
import { documentTitle } from "../layouts/base-layout.tsx";

const TAB_LABELS: ReadonlyArray<[Tab, string]> = [
  ["queue", "Queue"],
  ["mine", "Mine"],
  ["open", "All open"],
  ["snoozed", "Snoozed"],
  ["closed", "Closed"],
];

export type TabCounts = Record<Tab | "attention", number>;

/** Counts are capped when counted (service.tabCounts); past the cap the tab says "99+". */
function formatCount(n: number): string {
  return n > COUNT_CAP ? `${COUNT_CAP}+` : String(n);
}

/** The page title: how many conversations wait for this agent, then the page. */
export function inboxTitle(attention: number | undefined): string {
  return attention ? `(${formatCount(attention)}) Inbox` : "Inbox";
}

/** The title in a fragment: htmx makes it the page's title when it swaps the fragment in. */
export function InboxTitle(props: { attention: number }) {
  return <title safe>{documentTitle(inboxTitle(props.attention))}</title>;
}

/**
 * The tab bar: links (the tab is in the URL, so it works without JavaScript) with their counts.
 * With htmx a tab fetches its page and keeps only the list column. Every answer of the list (GET
 * /inbox/list) brings the bar again out of band, with fresh counts, and the page title with them
 * (InboxTitle). Without counts (the conversation page loaded directly) it shows none until the
 * list has loaded itself. A label filter stays as the tab changes; the counts are the tabs' whatever the label.
 */
export function InboxTabs(props: { tab: Tab; counts?: TabCounts; label?: string | null; oob?: boolean }) {
  const counts = props.counts;
  return (
    <nav
      id="inbox-tabs"
      class="inbox-tabs"
      aria-label="Conversation tabs"
      data-attention={counts ? String(counts.attention) : undefined}
      hx-swap-oob={props.oob ? "true" : undefined}
    >
      <ul>
        {TAB_LABELS.map(([key, label]) => (
          <li>
            <a
              href={listHref("/inbox", key, "", null, props.label)}
              hx-get={listHref("/inbox", key, "", null, props.label)}
              hx-select="#list-column"
              hx-target="#list-column"
              hx-swap="outerHTML"
              hx-push-url="true"
              aria-current={key === props.tab ? "page" : undefined}
              data-tab={key}
            >
              <span safe>{label}</span>
              {counts ? (
                <span class="tab-count" safe>
                  {formatCount(counts[key])}
                </span>
              ) : (
                ""
              )}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
