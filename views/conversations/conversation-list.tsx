import type { ListRow, Tab } from "../../src/conversations/model.ts";
import { ConversationRow } from "./conversation-row.tsx";

const EMPTY: Record<Tab, string> = {
  queue: "Nobody is waiting",
  mine: "Nothing assigned to you",
  open: "No conversations yet",
  snoozed: "Nothing snoozed",
  closed: "No closed conversations",
};

/** Where a page of the list lives: the tab, the search, the page after `cursor`, and the label filter (an id). */
export function listHref(base: "/inbox" | "/inbox/list", tab: Tab, q: string, cursor?: string | null, label?: string | null): string {
  const params = new URLSearchParams({ tab });
  if (label) params.set("label", label);
  if (q) params.set("q", q);
  if (cursor) params.set("cursor", cursor);
  return `${base}?${params}`;
}

/**
 * One page of a tab (the `<li>`s of `#conv-list`), rendered for the agent who asked ("You: ", the
 * open conversation marked); "Load more" fetches the next page and replaces itself with it
 * (without JavaScript it opens the next page of /inbox). The first page of an empty tab says so.
 */
export function ConversationList(props: {
  tab: Tab;
  rows: ListRow[];
  next: string | null;
  q?: string;
  viewerId?: string;
  selectedId?: string;
  first?: boolean;
  /** The label filter (an id), if any. */
  label?: string | null;
}) {
  const q = props.q ?? "";
  return (
    <>
      {props.rows.map((summary) => (
        <ConversationRow summary={summary} viewerId={props.viewerId} selected={summary.id === props.selectedId} />
      ))}
      {props.first && !props.rows.length ? (
        <li class="list-empty">
          <h2 class="list-empty-title" safe>
            {q || props.label ? "No matches" : EMPTY[props.tab]}
          </h2>
          {q ? (
            <p safe>{`No conversation in this tab${props.label ? " with this label" : ""} mentions “${q}”.`}</p>
          ) : props.label ? (
            <p>No conversation in this tab has this label.</p>
          ) : props.tab === "open" ? (
            <p>When a visitor writes through the chat widget, the conversation shows up here.</p>
          ) : (
            ""
          )}
        </li>
      ) : (
        ""
      )}
      {props.next ? (
        <li class="load-more">
          <a
            href={listHref("/inbox", props.tab, q, props.next, props.label)}
            hx-get={listHref("/inbox/list", props.tab, q, props.next, props.label)}
            hx-target="closest li"
            hx-swap="outerHTML"
            hx-include="#conv-list-selected"
          >
            Load more
          </a>
        </li>
      ) : (
        ""
      )}
    </>
  );
}
