import { FollowSender } from "../components/ws-sender.tsx";
import { DEFAULT_TAB, type Tab } from "../../src/conversations/model.ts";
import { Alert } from "../components/alert.tsx";
import { ConversationList, listHref } from "../conversations/conversation-list.tsx";
import { AppLayout } from "../layouts/app-layout.tsx";
import { ConversationListElement, ListState, SelectedConversation, type InboxListView } from "./inbox-list.tsx";
import { InboxTabs, inboxTitle } from "./inbox-tabs.tsx";
import { NotificationPrefs } from "./notification-prefs.tsx";
import { LiveStatus } from "./live-status.tsx";
import { TeamStatus } from "./team-status.tsx";
import { ShortcutsDialog } from "./shortcuts-dialog.tsx";
import { LabelFilter } from "./label-filter.tsx";
import { OnboardingSlot } from "./onboarding-checklist.tsx";
import type { Label } from "../../src/labels/model.ts";

/**
 * The list column: tabs with counts, the search, the rows. Swapped whole when the tab changes.
 * The search answers into `#conv-list` (GET /inbox/list), and that answer says what the list now
 * shows (its state, out of band); a refresh of the list asks with that state.
 */
function ListColumn(props: { list?: InboxListView; tab: Tab; selectedId?: string; viewerId?: string; labels: Label[] }) {
  const list = props.list;
  const tab = list?.tab ?? props.tab;
  const q = list?.q ?? "";
  const label = list?.label ?? null;
  return (
    <div id="list-column" class="list-column">
      <FollowSender page="inbox" tab={tab} />
      <InboxTabs tab={tab} counts={list?.counts} label={label} />
      <LabelFilter tab={tab} labels={props.labels} current={label} />
      <form
        class="inbox-search"
        role="search"
        method="get"
        action="/inbox"
        hx-get="/inbox/list"
        hx-target="#conv-list"
        hx-swap="innerHTML"
        hx-trigger="submit, input changed delay:300ms"
        hx-include="#conv-list-selected"
      >
        <input type="hidden" name="tab" value={tab} />
        {label ? <input type="hidden" name="label" value={label} /> : ""}
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
      {/* Why Claim did nothing ("Ana already took this conversation."): here, since the row leaves. */}
      <div id="list-notice" class="list-notice" aria-live="polite"></div>
      {list ? (
        <ConversationListElement tab={tab}>
          {list.cursor ? (
            <li class="load-more">
              <a href={listHref("/inbox", tab, q, null, label)}>Back to the newest</a>
            </li>
          ) : (
            ""
          )}
          <ConversationList tab={tab} rows={list.rows} next={list.next} q={q} label={label} viewerId={props.viewerId} selectedId={props.selectedId} first={!list.cursor} />
        </ConversationListElement>
      ) : (
        // Opened on a conversation (GET /inbox/c/:id): the list loads itself.
        <ConversationListElement tab={tab} loadNow>
          <li class="list-empty">
            <a href={listHref("/inbox", tab, "")}>Show conversations</a>
          </li>
        </ConversationListElement>
      )}
      {/* A later page without JavaScript is not extended by "Load more": its refresh is a first page. */}
      <ListState q={q} label={label} until="" />
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
  /** Every label, for the list's filter (none: no filter shown). */
  labels?: Label[];
}) {
  const tab = props.list?.tab ?? DEFAULT_TAB;
  const sound = props.agent.notifySound ?? true;
  const desktop = props.agent.notifyDesktop ?? false;
  return (
    <AppLayout
      title={inboxTitle(props.list?.counts.attention)}
      section="inbox"
      agent={props.agent}
      styles={["/public/conversation.css", "/public/labels.css", "/public/saved-replies.css", "/public/notes.css"]}
      scripts={["/public/vendor/htmx.min.js", "/public/vendor/hx-ws.min.js", "/public/live.js", "/public/inbox.js", "/public/conversation.js", "/public/composer-files.js", "/public/composer-list.js", "/public/saved-replies.js", "/public/private-notes.js", "/public/mentions.js"]}
    >
      <div
        class="inbox"
        hx-ws:connect="/ws/inbox"
        data-agent-id={props.agent.id}
      >
        <SelectedConversation id={props.selectedId} />
        <section class="inbox-list" aria-labelledby="inbox-title">
          <div class="inbox-toolbar">
            <h1 id="inbox-title">Inbox</h1>
            {/* The team's state, as customers see it; the socket's only when it is bad. */}
            <TeamStatus online={null} />
            <LiveStatus state="connecting" />
          </div>
          <ListColumn list={props.list} tab={tab} selectedId={props.selectedId} viewerId={props.agent.id} labels={props.labels ?? []} />
          <div class="inbox-prefs">
            <NotificationPrefs sound={sound} desktop={desktop} />
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
              <OnboardingSlot role={props.agent.role} />
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
