import { escapeHtml } from "@kitajs/html";
import { LIMITS } from "../../src/saved-replies/model.ts";
import { Alert } from "../components/alert.tsx";
import { Notice } from "../components/notice.tsx";
import { SavedReplyFields, type ReplyFormState } from "./saved-reply-form.tsx";
import { SavedReplyResults, type ReplyLists } from "./saved-reply-results.tsx";
import { SettingsLayout } from "./settings-layout.tsx";

export const SAVED_REPLY_STYLES = ["/public/inbox-settings.css", "/public/saved-replies.css"];
export const SAVED_REPLY_SCRIPTS = ["/public/vendor/htmx.min.js", "/public/settings.js"];

export interface SavedRepliesPageProps {
  me: { name: string; role: string };
  lists: ReplyLists;
  /** The search, as typed. */
  q: string;
  /** The new-reply form as it was posted, when it was refused. */
  form?: ReplyFormState;
  /** A fixed confirmation from the server ("Saved."). */
  notice?: string;
  message?: string;
}

/**
 * /settings/replies: the search, the team's and one's own replies, and a form for a new one.
 * The search is a GET form (the URL holds it); with scripts htmx swaps the results as one types.
 */
export function SavedRepliesPage(props: SavedRepliesPageProps) {
  const admin = props.me.role === "admin";
  return (
    <SettingsLayout title="Saved replies" current="replies" agent={props.me} styles={SAVED_REPLY_STYLES} scripts={SAVED_REPLY_SCRIPTS}>
      <h2>Saved replies</h2>
      <p class="lead">
        Type <kbd>/</kbd> in a reply to pick one of these; its text goes into the reply, ready to edit, with the customer's name and email and yours filled in.
      </p>
      <Notice message={props.notice} />
      <Alert message={props.message} />
      <form
        class="reply-search"
        role="search"
        aria-label="Saved replies"
        method="get"
        action="/settings/replies"
        hx-get="/settings/replies"
        hx-target="#saved-reply-results"
        hx-swap="outerHTML"
        hx-push-url="true"
        hx-trigger="submit, input delay:250ms"
      >
        <label for="reply-search-q">Search saved replies</label>
        <input id="reply-search-q" class="search-input" type="search" name="q" value={escapeHtml(props.q)} maxlength={String(LIMITS.search)} placeholder="Name, shortcut or text" autocomplete="off" />
        <button type="submit" class="button">
          Search
        </button>
      </form>
      <SavedReplyResults lists={props.lists} q={props.q} admin={admin} />

      <form method="post" action="/settings/replies" novalidate class="card settings-form" aria-labelledby="new-reply-title">
        <h3 id="new-reply-title">Add a saved reply</h3>
        <SavedReplyFields idPrefix="new-reply" scopeChoice={admin} values={props.form?.values} errors={props.form?.errors} />
        <button type="submit" class="button primary-action">
          Add reply
        </button>
      </form>
    </SettingsLayout>
  );
}
