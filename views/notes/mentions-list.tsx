import { escapeHtml } from "@kitajs/html";
import type { Teammate } from "../../src/notes/mentions.ts";

/** The `@` listbox's id in a conversation's reply form. */
export const mentionsListId = (conversationId: string) => `mentions-${conversationId}`;

/**
 * The list that `@` in a note opens, empty and hidden until then: public/mentions.js asks the
 * server for its options as the agent types (GET /inbox/c/:id/teammates?q=) and swaps them in,
 * as the saved replies' `/` list does.
 */
export function MentionsList(props: { conversationId: string }) {
  const id = mentionsListId(props.conversationId);
  return (
    <>
      <div role="listbox" id={id} class="composer-list mentions" aria-label="Mention a teammate" data-url={`/inbox/c/${props.conversationId}/teammates`} hidden></div>
      <p id={`${id}-status`} class="visually-hidden" role="status"></p>
    </>
  );
}

/** The teammates for what follows `@`, best first; each inserts `@Name ` (data-text, escaped whole). None: the list closes. */
export function TeammateOptions(props: { conversationId: string; teammates: Teammate[] }) {
  return (
    <>
      {props.teammates.map((a) => (
        <div role="option" id={`${mentionsListId(props.conversationId)}-${a.id}`} class="saved-reply-option" aria-selected="false" data-text={escapeHtml(`@${a.name} `)}>
          <span class="saved-reply-name" safe>
            {a.name}
          </span>
        </div>
      ))}
    </>
  );
}
