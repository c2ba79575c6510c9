import type { PaneData } from "../../src/conversations/listing.ts";
import type { AgentOption } from "../../src/conversations/model.ts";
import type { MessageWithAuthor } from "../../src/messages/model.ts";
import { SeenReceipt, TypingPush } from "./activity-push.tsx";
import { ContactPanel } from "./contact-panel.tsx";
import { ConversationEvent, type EventView } from "./conversation-event.tsx";
import { contactLabel } from "./conversation-row.tsx";
import { AssigneeVerbs, ConversationNotice, ConversationStatus } from "./conversation-status.tsx";
import { ViewersBar } from "./viewers-bar.tsx";
import { MessageItem } from "./message-item.tsx";
import { Composer } from "./composer.tsx";
import { ByDay } from "./day-heading.tsx";
import { PaneTicketBlock } from "../tickets/pane-ticket.tsx";
import { WsSender } from "../components/ws-sender.tsx";
import { LabelsControl, labelOptions } from "./labels-control.tsx";
import { NoteItem } from "../notes/note-item.tsx";
import { PanePhoneLinks } from "./phone-links.tsx";
import type { Note } from "../../src/notes/model.ts";

/** What the conversation's statement read (src/conversations/listing.ts), and who the page is for. */
export interface ConversationPaneProps extends PaneData {
  /** The agent the page is for: their own messages are marked (pushed ones by conversation.js). */
  viewerId: string;
  /** "Today" and "Yesterday" are relative to this (UTC, like every time the inbox shows). */
  now: Date;
  /** The reply form's first `clientId`, made by the server (each answer to the form brings the next). */
  clientId: string;
}

type Aside = { kind: "event"; at: Date; event: EventView } | { kind: "note"; at: Date; note: Note };
type TimelineItem = { kind: "message"; at: Date; message: MessageWithAuthor } | Aside;

/**
 * Messages in seq order with the events woven in by time: an event goes before the first message
 * that is not older than it (so "Ana claimed this" comes before Ana's reply, made in the same
 * transaction). Messages never change their order, whatever the clocks say.
 */
function timeline(messages: MessageWithAuthor[], events: EventView[], notes: Note[]): TimelineItem[] {
  // Private notes are woven in by time as events are (a stable sort keeps each list's own order).
  const asides: Aside[] = [...events.map((event) => ({ kind: "event" as const, at: event.createdAt, event })), ...notes.map((note) => ({ kind: "note" as const, at: note.createdAt, note }))];
  asides.sort((a, b) => a.at.getTime() - b.at.getTime());
  const items: TimelineItem[] = [];
  let e = 0;
  for (const message of messages) {
    while (e < asides.length && asides[e]!.at <= message.createdAt) items.push(asides[e++]!);
    items.push({ kind: "message", at: message.createdAt, message });
  }
  items.push(...asides.slice(e));
  return items;
}

/** The transcript by day: each item as its own partial (the same markup its push sends). */
function Transcript(props: { conversationId: string; items: TimelineItem[]; viewerId: string; now: Date }) {
  const entries = props.items.map((item) => ({
    at: item.at,
    entry:
      item.kind === "message" ? <MessageItem message={item.message} viewerId={props.viewerId} /> : item.kind === "note" ? <NoteItem note={item.note} /> : <ConversationEvent event={item.event} />,
  }));
  return <ByDay conversationId={props.conversationId} now={props.now} entries={entries} />;
}

/** Assign: a picker of the active agents and its button (Unassign is a verb of its own, apart). */
function AssignForm(props: { conversationId: string; agents: AgentOption[]; assigneeId: string | null }) {
  const id = props.conversationId;
  return (
    <form
      class="assign-form"
      hx-post={`/inbox/c/${id}/assign`}
      hx-target={`#conv-status-${id}`}
      hx-swap="outerHTML"
      {...{ "hx-status:4xx": `target:#conv-notice-${id} swap:innerHTML` }}
    >
      <label for={`assign-${id}`}>Assign to</label>
      <select id={`assign-${id}`} name="agentId" required>
        {props.agents.map((a) => (
          <option value={a.id} selected={a.id === props.assigneeId} safe>
            {a.name}
          </option>
        ))}
      </select>
      <button type="submit" class="button">
        Assign
      </button>
    </form>
  );
}

/**
 * The header: who (a phone layout's "Back to list" goes first in .conversation-heading), the state
 * and the everyday verbs with Labels, then the rest of the actions on the same line: Unassign,
 * Assign, the ticket. Where the header is too narrow for them (a container query in
 * public/conversation.css), they move into a "More actions" menu: a native popover its button
 * opens and closes (Escape or a click outside too, focus back on the button), no script needed.
 * Labels stays out of it: its own menu is a popover, and one inside another does not survive a
 * shortcut that opens both (Escape would close both).
 */
function PaneHeader(props: ConversationPaneProps & { label: string }) {
  const s = props.summary;
  const more = `more-actions-${s.id}`;
  return (
    <header class="conversation-header">
      <PanePhoneLinks conversationId={s.id} />
      <div class="conversation-heading">
        <h2 id={`conversation-title-${s.id}`} safe>
          {props.label}
        </h2>
        <ViewersBar conversationId={s.id} viewers={[]} />
      </div>
      <ConversationStatus summary={s} inPane />
      <LabelsControl conversationId={s.id} options={labelOptions(props.labels, s.labels)} />
      <button type="button" class="button more-actions-button" popovertarget={more} aria-label="More actions">
        More
      </button>
      <div id={more} class="conversation-more" popover="auto" role="group" aria-label="More actions">
        <AssigneeVerbs summary={s} />
        <AssignForm conversationId={s.id} agents={props.contact.agents} assigneeId={s.assigneeId} />
        <PaneTicketBlock conversationId={s.id} ticket={props.ticket} />
      </div>
      <ConversationNotice conversationId={s.id} />
    </header>
  );
}

/**
 * An open conversation: header with the customer, the state and its verbs; the transcript by day
 * with the events inline (each day's heading has a stable id, so pushes can carry it too);
 * "Seen", "typing…", the reply form (views/conversations/composer.tsx); and the contact beside it. The same
 * markup is the fragment htmx swaps into #pane and the pane inside the full inbox page. The
 * `view` frame on load makes the agents' socket follow this conversation; public/conversation.js
 * adds `after` to it (the newest seq the transcript holds: `data-rendered-seq` at first); it is sent
 * again (`sd-connected`, public/live.js) when the socket reconnects. conversation.js also fires the
 * two hidden `typing` senders and the seen report (`data-agent-read-seq`: what was reported already).
 */
export function ConversationPane(props: ConversationPaneProps) {
  const s = props.summary;
  const label = contactLabel(s);
  // The newest message this render shows: the view frame (public/conversation.js adds it as `after`)
  // asks the socket for everything after it, so a message committed between this render and the
  // subscription is not missed.
  const renderedSeq = props.messages.at(-1)?.seq ?? 0;
  return (
    <section
      class="conversation"
      id={`conversation-${s.id}`}
      data-conversation-id={s.id}
      data-viewer-id={props.viewerId}
      data-rendered-seq={String(renderedSeq)}
      data-agent-read-seq={String(s.agentReadSeq)}
      aria-labelledby={`conversation-title-${s.id}`}
    >
      <WsSender class="view-sender" frame={{ type: "view", conversation: s.id }} onConnect />
      <WsSender class="typing-on-sender" frame={{ type: "typing", conversation: s.id, on: true }} trigger="sd-typing-on" />
      <WsSender class="typing-off-sender" frame={{ type: "typing", conversation: s.id, on: false }} trigger="sd-typing-off" />
      {/* "Seen" for the customer: conversation.js sets the seq and fires sd-seen; a second after the
          last reason it posts, one request at a time (the newest waiting one goes next). */}
      <form hidden class="seen-report" hx-post={`/inbox/c/${s.id}/viewed`} hx-trigger="sd-seen delay:1s" hx-swap="none" hx-sync="queue last">
        <input type="hidden" name="seq" value={String(s.agentReadSeq)} />
      </form>
      <div class="conversation-main">
        <PaneHeader {...props} label={label} />
        {/* Focusable so that keyboard users can scroll the history (axe: scrollable-region-focusable). */}
        <div class="messages" id={`messages-${s.id}`} role="log" aria-label={`Messages with ${label}`} aria-live="polite" tabindex="0">
          <Transcript conversationId={s.id} items={timeline(props.messages, props.events, props.notes)} viewerId={props.viewerId} now={props.now} />
        </div>
        <div class="conversation-activity">
          <TypingPush conversationId={s.id} on={false} />
          <SeenReceipt conversationId={s.id} seq={s.customerReadSeq} />
        </div>
        <Composer conversationId={s.id} clientId={props.clientId} />
      </div>
      <ContactPanel contact={props.contact} earlier={props.earlier} conversationId={s.id} now={props.now} />
    </section>
  );
}
