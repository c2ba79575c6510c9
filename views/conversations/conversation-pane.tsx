import type { ConversationSummary } from "../../src/conversations/model.ts";
import type { AgentOption, ContactDetails, EarlierConversation, PaneTicket } from "../../src/conversations/model.ts";
import type { MessageWithAuthor } from "../../src/messages/model.ts";
import { SeenReceipt, TypingPush } from "./activity-push.tsx";
import { ContactPanel } from "./contact-panel.tsx";
import { ConversationEvent, type EventView } from "./conversation-event.tsx";
import { contactLabel } from "./conversation-row.tsx";
import { ConversationNotice, ConversationStatus } from "./conversation-status.tsx";
import { MessageItem } from "./message-item.tsx";
import { PaneTicketBlock } from "../tickets/pane-ticket.tsx";

export interface ConversationPaneProps {
  summary: ConversationSummary;
  messages: MessageWithAuthor[];
  events: EventView[];
  contact: ContactDetails;
  earlier: EarlierConversation[];
  ticket: PaneTicket | null;
  /** The agent the page is for: their own messages are marked (pushed ones by conversation.js). */
  viewerId: string;
  /** "Today" and "Yesterday" are relative to this (UTC, like every time the inbox shows). */
  now: Date;
}

type TimelineItem = { kind: "message"; at: Date; message: MessageWithAuthor } | { kind: "event"; at: Date; event: EventView };

/**
 * Messages in seq order with the events woven in by time: an event goes before the first message
 * that is not older than it (so "Ana claimed this" comes before Ana's reply, made in the same
 * transaction). Messages never change their order, whatever the clocks say.
 */
function timeline(messages: MessageWithAuthor[], events: EventView[]): TimelineItem[] {
  const items: TimelineItem[] = [];
  let e = 0;
  for (const message of messages) {
    while (e < events.length && events[e]!.createdAt <= message.createdAt) {
      items.push({ kind: "event", at: events[e]!.createdAt, event: events[e]! });
      e++;
    }
    items.push({ kind: "message", at: message.createdAt, message });
  }
  for (; e < events.length; e++) items.push({ kind: "event", at: events[e]!.createdAt, event: events[e]! });
  return items;
}

const DAY_FORMAT = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short", year: "numeric" });

/** "Today", "Yesterday" or the date, for the UTC day `day` (YYYY-MM-DD). */
function dayLabel(day: string, now: Date): string {
  const today = now.toISOString().slice(0, 10);
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  if (day === today) return "Today";
  if (day === yesterday) return "Yesterday";
  return DAY_FORMAT.format(new Date(`${day}T00:00:00Z`));
}

/** Starts a day in the transcript; conversation.js adds one before a pushed message of a new day. */
function DayHeading(props: { day: string; now: Date }) {
  return (
    <h3 class="day-heading" data-day={props.day}>
      <time datetime={props.day} safe>
        {dayLabel(props.day, props.now)}
      </time>
    </h3>
  );
}

function Transcript(props: { items: TimelineItem[]; viewerId: string; now: Date }) {
  let day = "";
  return (
    <>
      {props.items.map((item) => {
        const itemDay = item.at.toISOString().slice(0, 10);
        const heading = itemDay !== day ? <DayHeading day={itemDay} now={props.now} /> : "";
        day = itemDay;
        return (
          <>
            {heading}
            {item.kind === "message" ? <MessageItem message={item.message} viewerId={props.viewerId} /> : <ConversationEvent event={item.event} />}
          </>
        );
      })}
    </>
  );
}

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
 * An open conversation: header with the customer, the state and its verbs; the transcript by day
 * with the events inline; "Seen", "typing…", the reply form; and the contact beside it. The same
 * markup is the fragment htmx swaps into #pane and the pane inside the full inbox page. The
 * `view` frame on load makes the agents' socket follow this conversation; public/conversation.js
 * adds `after` to it (the newest seq the transcript holds: `data-rendered-seq` at first) and sends
 * it again (`sd-connected`, public/live.js) when the socket reconnects. It also fires the two hidden `typing` senders
 * and reports what the agent has seen (`data-agent-read-seq`: what was reported already).
 */
export function ConversationPane(props: ConversationPaneProps) {
  const s = props.summary;
  const base = `/inbox/c/${s.id}`;
  const label = contactLabel(s);
  const ws = (vals: Record<string, unknown>, trigger: string, className: string) => (
    <div hidden class={className} data-on-connect={trigger.includes("sd-connected") ? "" : undefined} hx-ws:send hx-trigger={trigger} hx-vals={JSON.stringify(vals)}></div>
  );
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
      {ws({ type: "view", conversation: s.id }, "load, sd-connected", "view-sender")}
      {ws({ type: "typing", conversation: s.id, on: true }, "sd-typing-on", "typing-on-sender")}
      {ws({ type: "typing", conversation: s.id, on: false }, "sd-typing-off", "typing-off-sender")}
      <div class="conversation-main">
        <header class="conversation-header">
          <h2 id={`conversation-title-${s.id}`} safe>
            {label}
          </h2>
          <ConversationStatus summary={s} />
          <AssignForm conversationId={s.id} agents={props.contact.agents} assigneeId={s.assigneeId} />
          <PaneTicketBlock conversationId={s.id} ticket={props.ticket} />
          <ConversationNotice conversationId={s.id} />
        </header>
        {/* Focusable so that keyboard users can scroll the history (axe: scrollable-region-focusable). */}
        <div class="messages" id={`messages-${s.id}`} role="log" aria-label={`Messages with ${label}`} aria-live="polite" tabindex="0">
          <Transcript items={timeline(props.messages, props.events)} viewerId={props.viewerId} now={props.now} />
        </div>
        <div class="conversation-activity">
          <TypingPush conversationId={s.id} on={false} />
          <SeenReceipt conversationId={s.id} seq={s.customerReadSeq} />
        </div>
        <form
          class="composer"
          id={`composer-${s.id}`}
          hx-post={`${base}/messages`}
          hx-target={`#messages-${s.id}`}
          hx-swap="beforeend"
          {...{ "hx-status:4xx": `target:#composer-error-${s.id} swap:innerHTML`, "hx-status:5xx": `target:#composer-error-${s.id} swap:innerHTML` }}
        >
          <input type="hidden" name="clientId" value="" />
          <label for={`reply-${s.id}`}>Reply</label>
          <textarea
            id={`reply-${s.id}`}
            name="body"
            rows="3"
            required
            maxlength="5000"
            enterkeyhint="send"
            aria-describedby={`composer-hint-${s.id} composer-error-${s.id}`}
          ></textarea>
          <p id={`composer-hint-${s.id}`} class="composer-hint">
            Enter sends, Shift+Enter adds a line.
          </p>
          <div id={`composer-error-${s.id}`} class="composer-error"></div>
          <button type="submit" class="button primary">
            Send
          </button>
        </form>
      </div>
      <ContactPanel contact={props.contact} earlier={props.earlier} conversationId={s.id} now={props.now} />
    </section>
  );
}
