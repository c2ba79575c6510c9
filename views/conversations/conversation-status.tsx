import type { ConversationSummary } from "../../src/conversations/model.ts";
import { SnoozeControl } from "./snooze-control.tsx";

export const STATUS_LABEL = { bot: "With the bot", queued: "Waiting in the queue", assigned: "Assigned", closed: "Closed" } as const;

/** The state in words: "Assigned to Ana", "Waiting in the queue (#2)". */
function statusText(s: Pick<ConversationSummary, "status" | "assigneeName" | "queuePosition">): string {
  if (s.status === "assigned" && s.assigneeName) return `Assigned to ${s.assigneeName}`;
  if (s.status === "queued" && s.queuePosition) return `${STATUS_LABEL.queued} (#${s.queuePosition})`;
  return STATUS_LABEL[s.status];
}

/**
 * A verb of the header. Its answer (this block again) replaces the block; a refusal ("Already
 * taken by Ana") goes to the notice beside it instead, so the buttons stay. `intoNotice`: the
 * answer is the notice instead, with the state out of band (Unassign answers with its Undo); the
 * notice is never replaced by a push, so an answer overtaken by the live push still lands.
 */
function Verb(props: { id: string; verb: "claim" | "unassign" | "close" | "reopen"; label: string; shortcut?: string; intoNotice?: boolean }) {
  return (
    <button
      type="button"
      class={`button verb-${props.verb}`}
      hx-post={`/inbox/c/${props.id}/${props.verb}`}
      hx-target={props.intoNotice ? `#conv-notice-${props.id}` : `#conv-status-${props.id}`}
      hx-swap="outerHTML"
      {...{ "hx-status:4xx": `target:#conv-notice-${props.id} swap:innerHTML` }}
      data-shortcut={props.shortcut}
      safe
    >
      {props.label}
    </button>
  );
}

/**
 * Why a verb of the header did nothing ("Already taken by Ana"): empty in the pane, and cleared
 * (out of band) by the answer of a verb that worked.
 */
export function ConversationNotice(props: { conversationId: string; oob?: boolean }) {
  return <div id={`conv-notice-${props.conversationId}`} class="conversation-notice" hx-swap-oob={props.oob ? "true" : undefined}></div>;
}

/**
 * The answer to one's own Unassign, in the notice (the state comes out of band): whom it was taken from, and
 * "Undo", which gives it back unless someone changed it meanwhile (then the refusal says so here).
 * Unassign's button is gone with the answer, so the focus goes to Undo (htmx focuses `autofocus`).
 */
export function UnassignedNotice(props: { conversationId: string; eventId: string; fromName: string | null }) {
  const id = props.conversationId;
  const text = props.fromName ? `Unassigned from ${props.fromName}.` : "Unassigned.";
  return (
    <div id={`conv-notice-${id}`} class="conversation-notice">
      <p class="undo-notice" role="status">
        <span safe>{text}</span>{" "}
        <button
          type="button"
          class="button verb-undo-unassign"
          autofocus
          hx-post={`/inbox/c/${id}/undo-unassign`}
          hx-vals={JSON.stringify({ event: props.eventId })}
          hx-target={`#conv-notice-${id}`}
          hx-swap="outerHTML"
          {...{ "hx-status:4xx": `target:#conv-notice-${id} swap:innerHTML` }}
        >
          Undo
        </button>
      </p>
    </div>
  );
}

/**
 * The conversation's state in its header with the verbs that apply to it: the page, a verb's
 * answer and the live push (out of band, whenever anyone changes it) all render this, so the
 * buttons always match the state. Two blocks: the state with the everyday verbs, always in view
 * (Claim when nobody has it, shortcut "a"; Close while open, "c"; Reopen when closed; Snooze), and
 * Unassign, apart from them and from the Assign picker, in the header's "More actions" part
 * (views/conversations/conversation-pane.tsx). A verb's answer replaces the first block and
 * brings the second out of band; a push brings both out of band; the pane (`inPane`) renders the
 * first here and the second (AssigneeVerbs) in its "More actions" part.
 */
export function ConversationStatus(props: { summary: ConversationSummary; oob?: boolean; inPane?: boolean }) {
  const s = props.summary;
  return (
    <>
      <div
        id={`conv-status-${s.id}`}
        class="conversation-state"
        data-status={s.status}
        data-assignee-id={s.assigneeId ?? undefined}
        hx-swap-oob={props.oob ? "true" : undefined}
      >
        <p class="conversation-status" data-status={s.status} role="status" safe>
          {statusText(s)}
        </p>
        <div class="conversation-actions" role="group" aria-label="Conversation actions">
          {s.status === "bot" || s.status === "queued" ? <Verb id={s.id} verb="claim" label="Claim" shortcut="a" /> : ""}
          {s.status !== "closed" ? <Verb id={s.id} verb="close" label="Close" shortcut="c" /> : ""}
          {s.status === "closed" ? <Verb id={s.id} verb="reopen" label="Reopen" /> : ""}
          <SnoozeControl summary={s} />
        </div>
      </div>
      {props.inPane ? "" : <AssigneeVerbs summary={s} oob />}
    </>
  );
}

/** Unassign while someone has it (its answer offers Undo: UnassignedNotice). */
export function AssigneeVerbs(props: { summary: ConversationSummary; oob?: boolean }) {
  const s = props.summary;
  return (
    <div id={`conv-assignee-verbs-${s.id}`} class="assignee-verbs" hx-swap-oob={props.oob ? "true" : undefined}>
      {s.status === "assigned" ? <Verb id={s.id} verb="unassign" label="Unassign" intoNotice /> : ""}
    </div>
  );
}
