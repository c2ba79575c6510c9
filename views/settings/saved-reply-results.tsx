import type { SavedReply } from "../../src/saved-replies/service.ts";

export interface ReplyLists {
  team: SavedReply[];
  personal: SavedReply[];
}

/** Edit (a link) and Delete (a post, confirmed where scripts run) for one reply; the hidden text names it. */
function RowActions(props: { reply: SavedReply }) {
  const r = props.reply;
  return (
    <div class="reply-actions">
      <a href={`/settings/replies/${r.id}`}>
        Edit <span class="visually-hidden" safe>{`/${r.shortcut}`}</span>
      </a>
      <form method="post" action={`/settings/replies/${r.id}/delete`} data-confirm={`Delete the saved reply /${r.shortcut}?`}>
        <button type="submit" class="link-button reply-delete">
          Delete <span class="visually-hidden" safe>{`/${r.shortcut}`}</span>
        </button>
      </form>
    </div>
  );
}

function ReplyTable(props: { title: string; id: string; replies: SavedReply[]; editable: boolean; empty: string; note?: string }) {
  return (
    <section class="reply-section" aria-labelledby={props.id}>
      <h3 id={props.id} safe>
        {props.title}
      </h3>
      {props.note ? (
        <p class="hint" safe>
          {props.note}
        </p>
      ) : (
        ""
      )}
      {props.replies.length === 0 ? (
        <p class="reply-empty" safe>
          {props.empty}
        </p>
      ) : (
        <table class="reply-table">
          <thead>
            <tr>
              <th scope="col">Shortcut</th>
              <th scope="col">Name</th>
              <th scope="col">Text</th>
              {props.editable ? (
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              ) : (
                ""
              )}
            </tr>
          </thead>
          <tbody>
            {props.replies.map((r) => (
              <tr data-reply-id={r.id}>
                <td class="reply-shortcut">
                  <code safe>{`/${r.shortcut}`}</code>
                </td>
                <td safe>{r.name}</td>
                <td class="reply-body" safe>
                  {r.body}
                </td>
                {props.editable ? (
                  <td>
                    <RowActions reply={r} />
                  </td>
                ) : (
                  ""
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * The team's replies and one's own, as the search found them: the page's part that the search
 * swaps (by id). Agents see the team's without actions (admins manage them).
 */
export function SavedReplyResults(props: { lists: ReplyLists; q: string; admin: boolean }) {
  const searching = props.q !== "";
  const found = props.lists.team.length + props.lists.personal.length;
  const count = found === 1 ? "1 reply matches" : `${found} replies match`;
  return (
    <div id="saved-reply-results" class="saved-reply-results">
      <p class="reply-count" role="status">
        {searching ? (
          <>
            <span safe>{count}</span> <q safe>{props.q}</q>.
          </>
        ) : (
          ""
        )}
      </p>
      <ReplyTable
        title="Team replies"
        id="team-replies-title"
        replies={props.lists.team}
        editable={props.admin}
        empty={searching ? "No team reply matches." : "The team has no saved replies yet."}
        note={props.admin ? undefined : "Every agent can use these; admins manage them."}
      />
      <ReplyTable
        title="Your replies"
        id="personal-replies-title"
        replies={props.lists.personal}
        editable
        empty={searching ? "None of your replies matches." : "You have no saved replies of your own yet."}
        note="Only you see and use these."
      />
    </div>
  );
}
