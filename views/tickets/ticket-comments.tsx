import { LIMITS } from "../../src/tickets/model.ts";
import type { TicketComment } from "../../src/tickets/model.ts";
import { DateTime } from "../components/clock.tsx";
import { Alert } from "../components/alert.tsx";

export function CommentItem(props: { comment: TicketComment }) {
  const c = props.comment;
  return (
    <li id={`ticket-comment-${c.id}`} class="ticket-comment">
      <p class="ticket-comment-head">
        <span class="ticket-comment-author" safe>
          {c.authorName ?? "A former agent"}
        </span>{" "}
        <DateTime at={c.createdAt} relative zone />
      </p>
      <p class="ticket-comment-body" safe>
        {c.body}
      </p>
    </li>
  );
}

/**
 * The form to add a comment. With htmx it posts without leaving the page and is replaced by the
 * answer: a fresh, empty form, with the comment arriving as everyone's does (out of band); a
 * refusal is shown under the field, with the text kept. Without JavaScript the page reloads with
 * the comment, or with the refusal and the text kept.
 */
export function CommentForm(props: { ticketId: string; number: number; value?: string; error?: string }) {
  const id = props.ticketId;
  const action = `/tickets/${props.number}/comments`;
  return (
    <form
      id={`ticket-comment-form-${id}`}
      class="ticket-comment-form"
      method="post"
      action={action}
      hx-post={action}
      hx-target="this"
      hx-swap="outerHTML"
      {...{ "hx-status:4xx": `target:#comment-error-${id} swap:innerHTML`, "hx-status:5xx": `target:#comment-error-${id} swap:innerHTML` }}
    >
      <label for={`comment-body-${id}`}>Add an internal comment</label>
      <textarea
        id={`comment-body-${id}`}
        name="body"
        rows="4"
        required
        maxlength={String(LIMITS.comment)}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={`comment-error-${id} comment-hint-${id}`}
        safe
      >
        {props.value ?? ""}
      </textarea>
      <p class="hint" id={`comment-hint-${id}`}>
        Only agents see comments; the customer never does.
      </p>
      <div id={`comment-error-${id}`} class="form-error">
        <Alert message={props.error} />
      </div>
      <button type="submit" class="button">
        Add comment
      </button>
    </form>
  );
}

/** Internal comments (agents only, never the customer) and the form to add one. */
export function TicketComments(props: { ticketId: string; number: number; comments: TicketComment[]; value?: string; error?: string }) {
  const id = props.ticketId;
  return (
    <section class="ticket-section" aria-labelledby={`ticket-comments-title-${id}`}>
      <h2 id={`ticket-comments-title-${id}`}>Internal comments</h2>
      <ol id={`ticket-comments-${id}`} class="ticket-comments" aria-live="polite">
        {props.comments.map((comment) => (
          <CommentItem comment={comment} />
        ))}
      </ol>
      <CommentForm ticketId={id} number={props.number} value={props.value} error={props.error} />
    </section>
  );
}
