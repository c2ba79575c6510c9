import type { SavedReply } from "../../src/saved-replies/service.ts";
import { SAVED_REPLY_SCRIPTS, SAVED_REPLY_STYLES } from "./saved-replies-page.tsx";
import { SavedReplyFields, type ReplyFormState } from "./saved-reply-form.tsx";
import { SettingsLayout } from "./settings-layout.tsx";

/** /settings/replies/:id: one reply's form (as saved, or as posted when refused), and Delete. */
export function SavedReplyEditPage(props: { me: { name: string; role: string }; reply: SavedReply; form?: ReplyFormState }) {
  const r = props.reply;
  const values = props.form?.values ?? { name: r.name, shortcut: r.shortcut, body: r.body };
  return (
    <SettingsLayout title="Edit saved reply" current="replies" agent={props.me} styles={SAVED_REPLY_STYLES} scripts={SAVED_REPLY_SCRIPTS}>
      <p class="breadcrumb">
        <a href="/settings/replies">Saved replies</a>
      </p>
      <form method="post" action={`/settings/replies/${r.id}`} novalidate class="card settings-form" aria-labelledby="edit-reply-title">
        <h2 id="edit-reply-title">
          Edit <span safe>{`/${r.shortcut}`}</span> {r.scope === "team" ? "(a team reply)" : "(your own reply)"}
        </h2>
        <SavedReplyFields idPrefix="edit-reply" scopeChoice={false} values={values} errors={props.form?.errors} />
        <div class="reply-form-actions">
          <button type="submit" class="button primary-action">
            Save changes
          </button>
          <a href="/settings/replies">Cancel</a>
        </div>
      </form>
      <form method="post" action={`/settings/replies/${r.id}/delete`} data-confirm={`Delete the saved reply /${r.shortcut}?`}>
        <button type="submit" class="button reply-delete">
          Delete this reply
        </button>
      </form>
    </SettingsLayout>
  );
}
