import { FollowSender } from "../components/follow-sender.tsx";
import { DEFAULT_TAB, type ListRow, type Tab } from "../../src/conversations/model.ts";
import { Alert } from "../components/alert.tsx";
import { ConversationList, listHref } from "../conversations/conversation-list.tsx";
import { AppLayout } from "../layouts/app-layout.tsx";
import { InboxTabs, inboxTitle, type TabCounts } from "./inbox-tabs.tsx";
import { LiveStatus } from "./live-status.tsx";
import { ShortcutsDialog } from "./shortcuts-dialog.tsx";

/** One page of the list as /inbox renders it without JavaScript (and as the first paint). */
export interface InboxListView {
  tab: Tab;
  q: string;
  rows: ListRow[];
  next: string | null;
  counts: TabCounts;
  /** A later page (no-JS "Load more"): the rows start after it. */
  cursor?: string | null;
  /** Why the list could not be shown (a search too long, a bad cursor). */
  error?: string;
}

/**
 * The list column: tabs with counts, the search, the rows. Swapped whole when the tab changes.
 * `#conv-list` carries what public/inbox.js needs to place live rows: the tab and the search.
 */
function ListColumn(props: { list?: InboxListView; tab: Tab; selectedId?: string; viewerId?: string }) {
  const list = props.list;
  const tab = list?.tab ?? props.tab;
  const q = list?.q ?? "";
  return (
    <div id="list-column" class="list-column">
      <InboxTabs tab={tab} counts={list?.counts} />
      <form class="inbox-search" role="search" method="get" action="/inbox" hx-get="/inbox/list" hx-target="#conv-list" hx-swap="innerHTML" hx-trigger="submit, input changed delay:300ms">
        <input type="hidden" name="tab" value={tab} />
        <label for="inbox-search-q" class="visually-hidden">
          Search conversations by name, email or message
        </label>
        <input
          id="inbox-search-q"
          class="search-input"
          type="search"
          name="q"
          value={q}
          maxlength="100"
          placeholder="Search name, email, message  /"
          autocomplete="off"
          data-shortcut="/"
        />
      </form>
      <Alert message={list?.error} />
      {list ? (
        <ul id="conv-list" class="conversation-list" aria-label="Conversations" data-tab={tab} data-q={q}>
          {list.cursor ? (
            <li class="load-more">
              <a href={listHref("/inbox", tab, q)}>Back to the newest</a>
            </li>
          ) : (
            ""
          )}
          <ConversationList tab={tab} rows={list.rows} next={list.next} q={q} viewerId={props.viewerId} selectedId={props.selectedId} first={!list.cursor} />
        </ul>
      ) : (
        // Opened on a conversation (GET /inbox/c/:id): the list loads itself.
        <ul id="conv-list" class="conversation-list" aria-label="Conversations" data-tab={tab} data-q="" hx-get={listHref("/inbox/list", tab, "")} hx-trigger="load" hx-swap="innerHTML">
          <li class="list-empty">
            <a href={listHref("/inbox", tab, "")}>Show conversations</a>
          </li>
        </ul>
      )}
    </div>
  );
}

/**
 * The agents' inbox: navigation, the list column and the conversation pane (`#pane`). GET
 * /inbox renders it with the list; GET /inbox/c/:id renders it with `pane` (the conversation,
 * already rendered) and `selectedId` for a direct load. Everything lives inside the socket's
 * element, so pushes and the pane's `hx-ws:send` share the one connection.
 */
export function InboxPage(props: {
  /** The signed-in agent; their notification choices (from /settings/profile) default to sound on, desktop off. */
  agent: { id?: string; name: string; role: string; notifySound?: boolean; notifyDesktop?: boolean };
  /** The rendered conversation (a JSX element, so already escaped where it needs to be). */
  pane?: JSX.Element;
  selectedId?: string;
  list?: InboxListView;
}) {
  const tab = props.list?.tab ?? DEFAULT_TAB;
  const sound = props.agent.notifySound ?? true;
  const desktop = props.agent.notifyDesktop ?? false;
  return (
    <AppLayout
      title={inboxTitle(props.list?.counts.attention)}
      section="inbox"
      agent={props.agent}
      styles={["/public/conversation.css"]}
      scripts={["/public/vendor/htmx.min.js", "/public/vendor/hx-ws.min.js", "/public/relative-time.js", "/public/live.js", "/public/inbox.js", "/public/conversation.js"]}
    >
      <div
        class="inbox"
        hx-ws:connect="/ws/inbox"
        data-agent-id={props.agent.id}
        data-selected-id={props.selectedId}
        data-notify-sound={sound ? "on" : "off"}
        data-notify-desktop={desktop ? "on" : "off"}
      >
        <FollowSender page="inbox" />
        <section class="inbox-list" aria-labelledby="inbox-title">
          <div class="inbox-toolbar">
            <h1 id="inbox-title">Inbox</h1>
            <LiveStatus state="connecting" />
          </div>
          <ListColumn list={props.list} tab={tab} selectedId={props.selectedId} viewerId={props.agent.id} />
          {/* The agent's saved choices (public/inbox.js saves a change back to their profile). */}
          <div class="inbox-prefs">
            <label class="pref">
              <input type="checkbox" id="pref-sound" data-pref="sound" checked={sound} />
              Sound
            </label>
            <label class="pref">
              <input type="checkbox" id="pref-desktop" data-pref="desktop" checked={desktop} />
              Desktop notifications
            </label>
            <button type="button" class="link-button" id="pref-desktop-allow" hidden>
              Allow in this browser
            </button>
            <p class="pref-hint" id="pref-hint" role="status" hidden></p>
            <button type="button" class="link-button" data-open-shortcuts>
              Keyboard shortcuts <kbd>?</kbd>
            </button>
          </div>
        </section>
        <div id="pane" class="inbox-pane" role="region" aria-label="Conversation">
          {props.pane !== undefined ? (
            // Rendered by its own JSX view, which escaped what it shows.
            (props.pane as "safe")
          ) : (
            <div class="pane-empty">
              <h2>No conversation open</h2>
              <p>Pick a conversation from the list, or press j to open the first one.</p>
            </div>
          )}
        </div>
      </div>
      <ShortcutsDialog />
    </AppLayout>
  );
}
