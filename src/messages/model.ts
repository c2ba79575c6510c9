import type { messages } from "../db/schema/index.ts";
import { Refusal } from "../http/refusal.ts";
import type { FileLinks } from "../files/links.ts";
import { safeBodyHtml } from "./render-body.ts";

export const MAX_BODY_LENGTH = 5000;
export const MAX_CLIENT_ID_LENGTH = 100;

export type Message = typeof messages.$inferSelect;
export type Sender = Message["sender"];
/** A message with the display name of the agent who wrote it (null for everyone else). */
export type MessageWithAuthor = Message & { agentName: string | null };

/** One of a conversation's last messages, as a queued list row previews it. */
export interface RecentMessage {
  conversationId: string;
  seq: number;
  sender: Sender;
  agentName: string | null;
  body: string;
  createdAt: Date;
}

/** Why a message was not stored; clients get the code and show the text. */
export class MessageRejected extends Refusal {
  override name = "MessageRejected";
  constructor(
    override readonly code: "empty" | "too_long" | "bad_text" | "bad_client_id" | "no_conversation" | "bad_files",
    message: string,
  ) {
    super(code === "no_conversation" ? 404 : 400, code, message);
  }
}

/**
 * The message as the widget protocol describes it (docs: widget protocol). `html` is the body
 * rendered on the server (links, the Markdown subset, everything escaped): the widget shows it
 * and never makes HTML of its own; `body` stays for clients that show plain text. Files come with
 * signed links (src/files/links.ts).
 */
export function toWire(message: MessageWithAuthor, links: Pick<FileLinks, "forWidget">) {
  const { agentName } = message;
  return {
    id: message.id,
    seq: message.seq,
    ...(message.clientId ? { clientId: message.clientId } : {}),
    body: message.body,
    html: message.body ? safeBodyHtml(message.body) : "",
    sender: message.sender,
    ...(agentName ? { agentName } : {}),
    ...(message.attachments?.length ? { attachments: message.attachments.map((file) => links.forWidget(file)) } : {}),
    createdAt: message.createdAt.toISOString(),
  };
}
