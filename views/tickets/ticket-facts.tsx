import type { TicketRow } from "../../src/tickets/model.ts";
import { DateTime } from "../components/clock.tsx";
import { PriorityBadge, StatusBadge } from "./ticket-badges.tsx";
import { contactText } from "./labels.ts";

/**
 * The ticket's current state beside its page. Pushed live (its contents, so that the box, a
 * polite live region, stays and is read out); the data attributes give public/tickets.js the new
 * values for the properties form's untouched fields.
 */
export function TicketFacts(props: { ticket: TicketRow; oob?: boolean }) {
  const t = props.ticket;
  return (
    <div id={`ticket-facts-${t.id}`} class="ticket-facts-box" aria-live="polite" hx-swap-oob={props.oob ? "innerHTML" : undefined}>
      <dl
        class="ticket-facts"
        data-status={t.status}
        data-priority={t.priority}
        data-assignee-id={t.assigneeId ?? ""}
        data-assignee-name={t.assigneeName ?? ""}
        data-updated={t.updatedAt.toISOString()}
      >
        <dt>Status</dt>
        <dd>
          <StatusBadge status={t.status} />
        </dd>
        <dt>Priority</dt>
        <dd>
          <PriorityBadge priority={t.priority} />
        </dd>
        <dt>Assignee</dt>
        <dd safe>{t.assigneeName ?? "Unassigned"}</dd>
        <dt>Customer</dt>
        <dd>
          {t.contactName || t.contactEmail ? (
            <>
              {t.contactName ? <span class="ticket-contact-name" safe>{t.contactName}</span> : ""}
              {t.contactEmail ? (
                <a class="ticket-contact-email" href={`mailto:${t.contactEmail}`} safe>
                  {t.contactEmail}
                </a>
              ) : (
                ""
              )}
            </>
          ) : t.contactId ? (
            <span class="ticket-contact-name" safe>
              {contactText(t)}
            </span>
          ) : (
            "None"
          )}
        </dd>
        <dt>Created</dt>
        <dd>
          <DateTime at={t.createdAt} zone />
        </dd>
        <dt>Updated</dt>
        <dd>
          <DateTime at={t.updatedAt} relative zone />
        </dd>
      </dl>
    </div>
  );
}
