// The inbox's conversation list (`#conv-list`) and what GET /inbox/list answers. The list is the
// server's: a push that may change which rows it shows makes it ask for itself again (public/live.js
// fires `list-stale` on `[data-list="inbox"]`), and every answer brings the tab bar with its counts
// and the list's own state out of band. The browser never decides where a row goes.
import type { Children } from "@kitajs/html";
import type { ListRow, Tab } from "../../src/conversations/model.ts";
import type { Label } from "../../src/labels/model.ts";
import { Alert } from "../components/alert.tsx";
import { ConversationList, listHref } from "../conversations/conversation-list.tsx";
import { InboxTabs, InboxTitle, type TabCounts } from "./inbox-tabs.tsx";

/** One page of the list as /inbox renders it without JavaScript (and as the first paint). */
export interface InboxListView {
  tab: Tab;
  q: string;
  /** The label filter (a label's id), or null. */
  label?: string | null;
  /** Every label, for the filter (the page's first statement reads them). */
  labels?: Label[];
  rows: ListRow[];
  next: string | null;
  counts: TabCounts;
  /** The position of the last row of this page (null without rows). */
  last?: string | null;
  /** A later page (no-JS "Load more"): the rows start after it. */
  cursor?: string | null;
  /** A refresh of a list extended with "Load more": the rows reach down to this position. */
  until?: string | null;
  /** Why the list could not be shown (a search too long, a bad cursor). */
  error?: string;
}

/**
 * What the list shows beyond its tab: the search, the label filter, and how far "Load more" has
 * extended it (the position of its last row, empty for the first page alone). The list's refresh
 * includes these fields; each answer replaces them out of band with what it shows.
 */
export function ListState(props: { q: string; until: string; label?: string | null; oob?: boolean }) {
  return (
    <div id="conv-list-state" hidden hx-swap-oob={props.oob ? "true" : undefined}>
      <input type="hidden" name="q" value={props.q} />
      {props.label ? <input type="hidden" name="label" value={props.label} /> : ""}
      <input type="hidden" name="until" value={props.until} />
    </div>
  );
}

/**
 * The open conversation, for the list to mark its row (aria-current). Outside the list column, so
 * that a change of tab keeps it; public/inbox.js sets it when a row is opened.
 */
export function SelectedConversation(props: { id?: string }) {
  return <input type="hidden" id="conv-list-selected" name="selected" value={props.id ?? ""} />;
}

/**
 * The list element: refreshes itself (its tab in the URL, its search and extent from the state,
 * the open conversation) on `list-stale`, at most once a second, keeping the last one. Without
 * rows yet (the conversation page loaded directly) it also loads itself at once.
 */
export function ConversationListElement(props: { tab: Tab; loadNow?: boolean; children: Children }) {
  return (
    <ul
      id="conv-list"
      class="conversation-list"
      aria-label="Conversations"
      data-list="inbox"
      data-tab={props.tab}
      hx-get={listHref("/inbox/list", props.tab, "")}
      hx-trigger={props.loadNow ? "load, list-stale throttle:1s" : "list-stale throttle:1s"}
      hx-swap="innerHTML"
      hx-include="#conv-list-state, #conv-list-selected"
    >
      {props.children}
    </ul>
  );
}

/**
 * GET /inbox/list: the rows for the asking agent, the tab bar and the list's state out of band. A
 * first page resets the extent; a later page or a refresh extends it to its last row.
 */
export function InboxListAnswer(props: { list: InboxListView; viewerId: string; selectedId?: string }) {
  const list = props.list;
  const extended = Boolean(list.cursor || list.until);
  return (
    <>
      {list.error ? (
        <li class="list-error">
          <Alert message={list.error} />
        </li>
      ) : (
        <ConversationList
          tab={list.tab}
          rows={list.rows}
          next={list.next}
          q={list.q}
          label={list.label}
          viewerId={props.viewerId}
          selectedId={props.selectedId}
          first={!list.cursor}
        />
      )}
      <InboxTabs tab={list.tab} counts={list.counts} label={list.label} oob />
      <InboxTitle attention={list.counts.attention} />
      {list.error ? "" : <ListState q={list.q} label={list.label} until={extended ? (list.last ?? list.cursor ?? "") : ""} oob />}
    </>
  );
}
