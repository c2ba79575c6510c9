// Server -> client frames of the widget protocol (docs/widget-protocol.md), built in one place.
import type { ConversationStatus } from "../conversations/model.ts";
import type { FileLinks } from "../files/links.ts";
import { toWire, type MessageWithAuthor } from "../messages/model.ts";

type WireLinks = Pick<FileLinks, "forWidget">;

/** The conversation as the widget sees it. */
export interface WidgetConversation {
  id: string;
  status: ConversationStatus;
  lastSeq: number;
  queuePosition: number | null;
  agent: { name: string } | null;
  /** The agents have read the customer's messages up to here ("Seen"). */
  agentReadSeq: number;
  /** The customer has read the team's messages up to here (on any device): the launcher's unread count starts after it. */
  customerReadSeq: number;
  /** Closed, and this closed episode has been rated (the widget does not ask again). */
  rated: boolean;
}

export interface StatusFrame {
  status: ConversationStatus;
  queuePosition?: number | null;
  agent?: { name: string } | null;
  /** Only on the frame that tells a visitor's other tabs their conversation now exists. */
  conversation?: string;
}

export type ErrorCode =
  | "bad_frame"
  | "unauthorized"
  | "origin_not_allowed"
  | "rate_limited"
  | "empty"
  | "too_long"
  | "bad_text"
  | "bad_client_id"
  | "no_conversation"
  | "bad_files"
  | "bad_rating"
  | "not_closed"
  | "already_rated"
  | "server_error";

export interface ErrorFrame {
  code: ErrorCode;
  message: string;
  retryAfter?: number;
  clientId?: string;
}

export const widgetFrames = {
  /** `askEmail`: show the one-time "notified by email" card (src/widget/email-state.ts). */
  ready: (conversation: WidgetConversation | null, lastSeq: number, agentsOnline: boolean, askEmail: boolean) =>
    JSON.stringify({ type: "ready", conversation, lastSeq, agentsOnline, askEmail }),
  /** `askEmail: true` only on the ack that makes the ask due (a first message); absent otherwise. */
  ack: (clientId: string, message: MessageWithAuthor, links: WireLinks, askEmail = false) =>
    JSON.stringify({ type: "ack", clientId, message: toWire(message, links), ...(askEmail ? { askEmail } : {}) }),
  message: (message: MessageWithAuthor, links: WireLinks) => JSON.stringify({ type: "message", message: toWire(message, links) }),
  typing: (on: boolean) => JSON.stringify({ type: "typing", on }),
  read: (seq: number) => JSON.stringify({ type: "read", seq }),
  status: (frame: StatusFrame) => JSON.stringify({ type: "status", ...frame }),
  /** The conversation's closed episode was rated (by this tab or another): the widget thanks and stops asking. */
  rated: (rating: number) => JSON.stringify({ type: "rated", rating }),
  /** Whether any agent is online, pushed when agents come and go (the widget's "online" / "away"). */
  presence: (agentsOnline: boolean) => JSON.stringify({ type: "presence", agentsOnline }),
  error: (frame: ErrorFrame) => JSON.stringify({ type: "error", ...frame }),
};
