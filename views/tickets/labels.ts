import type { TicketPriority, TicketStatus } from "../../src/tickets/model.ts";

export const STATUS_LABEL: Record<TicketStatus, string> = { open: "Open", pending: "Pending", solved: "Solved", closed: "Closed" };
export const PRIORITY_LABEL: Record<TicketPriority, string> = { low: "Low", normal: "Normal", high: "High", urgent: "Urgent" };

/** "#123", as tickets are named everywhere. */
export const ticketName = (number: number) => `#${number}`;

/** The customer as a ticket names them: name, else email, else nothing. */
export function contactText(t: { contactName: string | null; contactEmail: string | null }): string {
  return t.contactName || t.contactEmail || "";
}
