import type { TicketRow as Row } from "../../src/tickets/model.ts";
import { DateTime } from "../components/clock.tsx";
import { PriorityBadge, StatusBadge } from "./ticket-badges.tsx";
import { contactText, ticketName } from "./labels.ts";

export const TICKET_COLUMNS = ["Ticket", "Status", "Priority", "Assignee", "Customer", "Updated"] as const;

/**
 * One ticket of the list. The same markup is the page, "Load more", a refresh and the live push
 * (out of band, by id, to every tickets list: src/tickets/notify.tsx).
 */
export function TicketRow(props: { ticket: Row; oob?: boolean }) {
  const t = props.ticket;
  const href = `/tickets/${t.number}`;
  return (
    <tr
      id={`ticket-row-${t.id}`}
      class="ticket-row"
      data-status={t.status}
      data-priority={t.priority}
      hx-swap-oob={props.oob ? "true" : undefined}
    >
      <td class="ticket-cell-subject">
        <a href={href}>
          <span class="ticket-number" safe>
            {ticketName(t.number)}
          </span>{" "}
          <span class="ticket-subject" safe>
            {t.title}
          </span>
        </a>
      </td>
      <td>
        <StatusBadge status={t.status} />
      </td>
      <td>
        <PriorityBadge priority={t.priority} />
      </td>
      <td class="ticket-cell-assignee" safe>
        {t.assigneeName ?? "Unassigned"}
      </td>
      <td class="ticket-cell-contact">
        {t.contactName ? <span class="ticket-contact-name" safe>{t.contactName}</span> : ""}
        {t.contactEmail ? <span class="ticket-contact-email" safe>{t.contactEmail}</span> : ""}
        {!t.contactName && !t.contactEmail && t.contactId ? (
          <span class="ticket-contact-name" safe>
            {contactText(t)}
          </span>
        ) : (
          ""
        )}
      </td>
      <td class="ticket-cell-updated">
        {/* "2026-11-21 14:03 UTC" until public/live.js makes it "2 min ago". */}
        <DateTime at={t.updatedAt} relative zone />
      </td>
    </tr>
  );
}
