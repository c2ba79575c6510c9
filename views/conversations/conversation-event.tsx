import type { EventType } from "../../src/conversations/model.ts";
import { AppendToTranscript } from "../components/append-to-transcript.tsx";
import { Clock } from "../components/clock.tsx";
import { RATING_LABELS } from "../../src/satisfaction/model.ts";

export interface EventView {
  id: string;
  type: EventType;
  actorName: string | null;
  targetName?: string | null;
  /** A `rated` event's rating (1-5) and the customer's comment. */
  rating?: number | null;
  comment?: string | null;
  createdAt: Date;
}

/** "Ana claimed this", "Closed by Ana", "Reopened by the customer", "Assigned to Ben by Ana". */
function describeEvent(e: Pick<EventView, "type" | "actorName" | "targetName" | "rating">): string {
  const who = e.actorName ?? "The customer";
  const byWhom = e.actorName ?? "the customer";
  switch (e.type) {
    case "created":
      return "Conversation started";
    case "queued":
      // The customer asked, or the inbox hands every conversation to a human at once (SupportDesk).
      return e.actorName === null ? "The customer asked for a human" : "Waiting for an agent";
    case "claimed":
      return `${who} claimed this`;
    case "assigned":
      return `Assigned to ${e.targetName ?? "someone"} by ${byWhom}`;
    case "unassigned":
      return `${who} put this back in the queue`;
    case "closed":
      return `Closed by ${byWhom}`;
    case "reopened":
      return `Reopened by ${byWhom}`;
    case "snoozed":
      return `Snoozed by ${byWhom}`;
    case "unsnoozed":
      // The customer wrote, the time came (SupportDesk), or an agent woke it.
      return e.actorName === null ? "Back from snooze: the customer wrote" : e.actorName === "SupportDesk" ? "Back from snooze" : `Unsnoozed by ${e.actorName}`;
    case "rated":
      return `The customer rated this conversation ${RATING_LABELS[(e.rating ?? 1) - 1] ?? ""} (${e.rating}/5)`;
  }
}

/** A state change shown inline among the messages ("Ana claimed this"). */
export function ConversationEvent(props: { event: EventView }) {
  return (
    <p id={`event-${props.event.id}`} class="conversation-event" data-type={props.event.type} data-at={props.event.createdAt.toISOString()}>
      <span safe>{describeEvent(props.event)}</span>{" "}
      <Clock at={props.event.createdAt} />
      {props.event.comment ? (
        <>
          {" "}
          <q class="rating-comment" safe>
            {props.event.comment}
          </q>
        </>
      ) : (
        ""
      )}
    </p>
  );
}

/** Appends state changes to an open conversation pane, out of band, each after the heading of its day. */
export function EventsPush(props: { conversationId: string; events: EventView[]; now?: Date }) {
  const entries = props.events.map((e) => ({ at: e.createdAt, entry: <ConversationEvent event={e} /> }));
  return <AppendToTranscript conversationId={props.conversationId} entries={entries} now={props.now} />;
}
