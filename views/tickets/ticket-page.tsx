import type { TicketField } from "../../src/tickets/model.ts";
import type { TicketDetail } from "../../src/tickets/model.ts";
import { DateTime } from "../components/clock.tsx";
import { Notice } from "../components/notice.tsx";
import { FollowSender } from "../components/ws-sender.tsx";
import { LiveStatus } from "../inbox/live-status.tsx";
import { AppLayout } from "../layouts/app-layout.tsx";
import { ticketName } from "./labels.ts";
import { TicketComments } from "./ticket-comments.tsx";
import { TicketConflict } from "./ticket-conflict.tsx";
import { TicketFacts } from "./ticket-facts.tsx";
import { TicketHistory } from "./ticket-history.tsx";
import { TicketPropertiesForm } from "./ticket-properties-form.tsx";
import { TicketTranscript } from "./ticket-transcript.tsx";
import { TICKET_SCRIPTS } from "./tickets-page.tsx";

/** What a post to the page left to say (without JavaScript the page is rendered again with it). */
export interface TicketPageState {
  notice?: string;
  /** The properties form refused, per field or as a whole (with the ticket it conflicts with). */
  errors?: Partial<Record<TicketField, string>>;
  conflict?: { message: string; existing?: { number: number } | undefined };
  /** A refused comment, with its text kept. */
  comment?: { value: string; error: string };
}

/**
 * One ticket: its subject, state, the form to change it, its history, internal comments and the
 * conversation's transcript. Live: inside the agents' socket, following this ticket, a change
 * anyone makes replaces the facts, history and comments (views/tickets/ticket-live.tsx); the
 * form's untouched fields follow (public/tickets.js). After a reconnect the page asks for those
 * parts again (public/live.js fires `list-stale` on `[data-list]`): pushes sent meanwhile were lost.
 */
export function TicketPage(props: { agent: { id: string; name: string; role: string }; ticket: TicketDetail; state?: TicketPageState }) {
  const t = props.ticket;
  const s = props.state ?? {};
  return (
    <AppLayout
      title={`${ticketName(t.number)} ${t.title}`}
      section="tickets"
      agent={props.agent}
      styles={["/public/conversation.css", "/public/tickets.css"]}
      scripts={TICKET_SCRIPTS}
    >
      <div class="ticket-page" hx-ws:connect="/ws/inbox" data-ticket-id={t.id}>
        <FollowSender page="ticket" ticket={t.id} />
        <div hidden data-list="ticket" hx-get={`/tickets/${t.number}?part=live`} hx-trigger="list-stale throttle:1s" hx-swap="none"></div>
        <div class="tickets-toolbar">
          <p class="ticket-back">
            <a href="/tickets">All tickets</a>
          </p>
          <LiveStatus state="connecting" />
        </div>
        <h1 class="ticket-title">
          <span class="ticket-number" safe>
            {ticketName(t.number)}
          </span>{" "}
          <span safe>{t.title}</span>
        </h1>
        <p class="muted">
          <span safe>{`Created by ${t.createdByName ?? "a former agent"}`}</span> <DateTime at={t.createdAt} relative zone />
        </p>
        <Notice message={s.notice} />
        <div class="ticket-layout">
          <div class="ticket-main">
            {t.description ? (
              <section class="ticket-section" aria-labelledby={`ticket-description-title-${t.id}`}>
                <h2 id={`ticket-description-title-${t.id}`}>Description</h2>
                <p class="ticket-description" safe>
                  {t.description}
                </p>
              </section>
            ) : (
              ""
            )}
            <TicketComments ticketId={t.id} number={t.number} comments={t.comments} value={s.comment?.value} error={s.comment?.error} />
            <TicketTranscript ticketId={t.id} conversationId={t.conversationId} messages={t.transcript} messageCount={t.messageCount} />
          </div>
          <aside class="ticket-side" aria-label="Ticket details">
            <TicketFacts ticket={t} />
            <section class="ticket-section" aria-labelledby={`ticket-change-title-${t.id}`}>
              <h2 id={`ticket-change-title-${t.id}`}>Change</h2>
              {s.conflict ? <TicketConflict message={s.conflict.message} existing={s.conflict.existing} /> : ""}
              <TicketPropertiesForm ticket={t} agents={t.agents} errors={s.errors} />
            </section>
            <TicketHistory ticketId={t.id} events={t.history} />
          </aside>
        </div>
      </div>
    </AppLayout>
  );
}
