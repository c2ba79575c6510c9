import { escapeHtml } from "@kitajs/html";
import type { Suggestion } from "../../src/saved-replies/service.ts";
import { oneLine } from "../components/one-line.ts";

/** The listbox's id in a conversation's reply form (the field's aria-controls names it). */
export const savedRepliesListId = (conversationId: string) => `saved-replies-${conversationId}`;

/** Characters of a reply's text its option shows. */
const PREVIEW_CHARS = 90;
const preview = (text: string) => oneLine(text, PREVIEW_CHARS);

/**
 * The list that `/` in the reply field opens, empty and hidden until then: public/saved-replies.js
 * asks the server for its options as the agent types (GET /inbox/c/:id/saved-replies?q=), and
 * swaps them in. The field names it (aria-controls) and its active option (aria-activedescendant);
 * it has no aria-expanded, which ARIA does not allow on a text field (axe: aria-allowed-attr), so
 * the status after it says when the list opens and how many it holds.
 */
export function SavedRepliesList(props: { conversationId: string }) {
  const id = savedRepliesListId(props.conversationId);
  return (
    <>
      <div role="listbox" id={id} class="saved-replies" aria-label="Saved replies" data-url={`/inbox/c/${props.conversationId}/saved-replies`} hidden></div>
      <p id={`${id}-status`} class="visually-hidden" role="status"></p>
    </>
  );
}

/**
 * The options for what was typed after `/`, best first: each carries its text with the variables
 * filled in (`data-text`, escaped whole: @kitajs/html escapes only `"` in attributes, and an `&amp;`
 * in a reply must arrive as typed), read back as text. With none, one disabled
 * option says so and where replies are made.
 */
export function SavedReplyOptions(props: { conversationId: string; suggestions: Suggestion[]; query: string }) {
  if (!props.suggestions.length) {
    return (
      <div role="option" id={`${savedRepliesListId(props.conversationId)}-none`} class="saved-reply-none" aria-disabled="true" aria-selected="false">
        {props.query ? (
          <>
            No saved reply matches <q safe>{props.query}</q>.
          </>
        ) : (
          "No saved replies yet."
        )}{" "}
        Add them in Settings, Saved replies.
      </div>
    );
  }
  return (
    <>
      {props.suggestions.map((s) => (
        <div role="option" id={`${savedRepliesListId(props.conversationId)}-${s.id}`} class="saved-reply-option" aria-selected="false" data-text={escapeHtml(s.text)}>
          <span class="saved-reply-head">
            <span class="saved-reply-shortcut" safe>{`/${s.shortcut}`}</span> <span class="saved-reply-name" safe>{s.name}</span>
            {s.scope === "team" ? <span class="saved-reply-scope"> (team)</span> : ""}
          </span>
          <span class="visually-hidden">: </span>
          <span class="saved-reply-preview" safe>
            {preview(s.text)}
          </span>
        </div>
      ))}
    </>
  );
}
