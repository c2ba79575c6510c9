import { contactDisplayName } from "../../src/contacts/display-name.ts";
import type { TicketPriority, TicketStatus } from "../../src/tickets/model.ts";

export const STATUS_LABEL: Record<TicketStatus, string> = { open: "Open", pending: "Pending", solved: "Solved", closed: "Closed" };
export const PRIORITY_LABEL: Record<TicketPriority, string> = { low: "Low", normal: "Normal", high: "High", urgent: "Urgent" };

/** "#123", as tickets are named everywhere. */
export const ticketName = (number: number) => `#${number}`;

/** The customer as a ticket names them: their display name (as in the inbox), or nothing without a customer. */
export function contactText(t: { contactId: string | null; contactName: string | null; contactEmail: string | null }): string {
  return t.contactId ? contactDisplayName({ id: t.contactId, name: t.contactName, email: t.contactEmail }) : "";
}
