import type { StoredFile } from "../../src/files/model.ts";
import { Alert } from "../components/alert.tsx";
import { PendingFile } from "./pending-file.tsx";
import { RepliedNotice } from "./viewers-bar.tsx";
import { SavedRepliesList, savedRepliesListId } from "./saved-replies-list.tsx";
import { MentionsList } from "../notes/mentions-list.tsx";

/**
 * The reply form. Each reply's `clientId` is made by the server and rendered here: a stored reply
 * is answered with a fresh form (empty, a new id), a refused one with this form again (the text,
 * the same id, and why). The answer replaces the form out of band and the reply joins the
 * transcript the way a push does; with no answer at all (offline) nothing is swapped, so sending
 * again carries the same id and cannot store the message twice. An error answered by the error
 * handler (a 5xx, a malformed request) is shown under the field, with the form as it was.
 */
export function Composer(props: { conversationId: string; clientId: string; text?: string; files?: StoredFile[]; error?: string; oob?: boolean; note?: boolean }) {
  const id = props.conversationId;
  // "Private note" switches where the form posts (public/private-notes.js): a note is stored apart and only agents see it.
  const urls = { reply: `/inbox/c/${id}/messages`, note: `/inbox/c/${id}/notes` };
  const errorTarget = `target:#composer-error-${id} swap:innerHTML`;
  return (
    <form
      class={props.note ? "composer composer-note" : "composer"}
      id={`composer-${id}`}
      hx-post={props.note ? urls.note : urls.reply}
      data-reply-url={urls.reply}
      data-note-url={urls.note}
      hx-swap="none"
      hx-sync="drop"
      hx-swap-oob={props.oob ? "true" : undefined}
      {...{ "hx-status:4xx": errorTarget, "hx-status:5xx": errorTarget }}
    >
      <input type="hidden" name="clientId" value={props.clientId} />
      <label for={`reply-${id}`}>Reply</label>
      <textarea
        id={`reply-${id}`}
        name="body"
        rows="3"
        maxlength="5000"
        enterkeyhint="send"
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={`composer-hint-${id} composer-error-${id}`}
        aria-controls={savedRepliesListId(id)}
        aria-autocomplete="list"
        aria-haspopup="listbox"
        safe
      >
        {props.text ?? ""}
      </textarea>
      <SavedRepliesList conversationId={id} />
      <MentionsList conversationId={id} />
      {/* Files upload as they are chosen, pasted or dropped (public/conversation.js); each answer is a chip here. */}
      <ul class="composer-files" aria-label="Files to send">
        {(props.files ?? []).map((file) => (
          <PendingFile file={file} />
        ))}
      </ul>
      <div class="composer-uploads" aria-live="polite"></div>
      <input type="file" class="composer-file-input" id={`composer-file-${id}`} multiple hidden data-upload-url={`/inbox/c/${id}/files`} />
      <p id={`composer-hint-${id}`} class="composer-hint">
        Enter sends, Shift+Enter adds a line, <kbd>/</kbd> inserts a saved reply, <kbd>@</kbd> mentions a teammate in a note. <code>**bold**</code>, <code>_italic_</code>, <code>`code`</code>, lists; links are detected. Paste or drop files to attach them.
      </p>
      <div id={`composer-error-${id}`} class="composer-error">
        <Alert message={props.error} />
      </div>
      <RepliedNotice conversationId={id} />
      <div class="composer-actions">
        <button type="button" class="button composer-note-toggle" data-note-toggle aria-pressed={props.note ? "true" : "false"} title="Only agents see notes (Alt+N)">
          Private note
        </button>
        <button type="button" class="button composer-attach" data-attach aria-label="Attach a file" title="Attach a file">
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
            <path d="M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9" />
          </svg>
        </button>
        <button type="submit" class="button primary">
          Send
        </button>
      </div>
    </form>
  );
}
