import type { Note } from "../../src/notes/model.ts";
import { safeBodyHtml } from "../../src/messages/render-body.ts";
import { AppendToTranscript } from "../components/append-to-transcript.tsx";
import { Clock } from "../components/clock.tsx";

/**
 * A private note in the agents' timeline, styled apart from messages (a yellow card that says so).
 * The same markup is the page, the note form's answer and the push to the agents viewing the
 * conversation; `id="note-…"` lets the page keep one copy of a note that arrives twice.
 */
export function NoteItem(props: { note: Note }) {
  const n = props.note;
  return (
    <article id={`note-${n.id}`} class="note" data-agent-id={n.agentId ?? undefined} data-at={n.createdAt.toISOString()} aria-label="Private note">
      <header>
        <span class="note-tag">Private note</span>{" "}
        <span class="message-author" safe>
          {n.agentName ?? "A former agent"}
        </span>{" "}
        <Clock at={n.createdAt} />
      </header>
      {/* Links and the Markdown subset, rendered and escaped as messages are. */}
      <div class="message-body">{safeBodyHtml(n.body)}</div>
    </article>
  );
}

/** Appends a note to an open conversation's timeline, out of band (the push, and the form's answer). */
export function NotePush(props: { note: Note; now?: Date }) {
  return <AppendToTranscript conversationId={props.note.conversationId} entries={[{ at: props.note.createdAt, entry: <NoteItem note={props.note} /> }]} now={props.now} />;
}
