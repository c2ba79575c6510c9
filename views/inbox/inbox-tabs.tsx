import { COUNT_CAP, type Tab } from "../../src/conversations/model.ts";
import { listHref } from "../conversations/conversation-list.tsx";
import { documentTitle } from "../layouts/base-layout.tsx";

const TAB_LABELS: ReadonlyArray<[Tab, string]> = [
  ["queue", "Queue"],
  ["mine", "Mine"],
  ["open", "All open"],
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

/**
 * The tab bar: links (the tab is in the URL, so it works without JavaScript) with their counts.
 * With htmx a tab fetches its page and keeps only the list column. public/inbox.js re-fetches
 * the bar (GET /inbox/counts) a moment after live pushes, and copies data-title to the page title.
 * Without counts (the conversation page loaded directly) the bar fetches them itself.
 */
export function InboxTabs(props: { tab: Tab; counts?: TabCounts }) {
  const counts = props.counts;
  return (
    <nav
      id="inbox-tabs"
      class="inbox-tabs"
      aria-label="Conversation tabs"
      data-attention={counts ? String(counts.attention) : undefined}
      data-title={counts ? documentTitle(inboxTitle(counts.attention)) : undefined}
      hx-get={counts ? undefined : `/inbox/counts?tab=${props.tab}`}
      hx-trigger={counts ? undefined : "load"}
      hx-swap={counts ? undefined : "outerHTML"}
    >
      <ul>
        {TAB_LABELS.map(([key, label]) => (
          <li>
            <a
              href={listHref("/inbox", key, "")}
              hx-get={listHref("/inbox", key, "")}
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
