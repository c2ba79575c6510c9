import { topics } from "../realtime/topics.ts";
import { widgetFrames } from "../widget/frames.ts";
import { MessagesPush } from "../../views/conversations/message-item.tsx";
import type { MessageWithAuthor } from "./model.ts";
import type { FileLinks } from "../files/links.ts";

export type WidgetFileLinks = Pick<FileLinks, "forWidget">;

/** For deps made without an app (unit tests of other things): a message with files cannot be pushed. */
const NO_LINKS: WidgetFileLinks = {
  forWidget: () => {
    throw new Error("file links are not configured: pass fileLinks in the deps");
  },
};

/**
 * One message as each audience receives it, rendered once: the agents' HTML partial and the
 * customer's JSON frame, with their topics. The first delivery and the sweeper's repair send the
 * same. The side waiting for it goes first: the agents for a customer's message, the customer for
 * any other (its sender's own pages have it already).
 */
export async function messagePushes(conversationId: string, message: MessageWithAuthor, links: WidgetFileLinks = NO_LINKS): Promise<Array<[topic: string, data: string]>> {
  const toAgents: [string, string] = [topics.conversationAgents(conversationId), await (<MessagesPush conversationId={conversationId} messages={[message]} />)];
  const toCustomer: [string, string] = [topics.conversation(conversationId), widgetFrames.message(message, links)];
  return message.sender === "customer" ? [toAgents, toCustomer] : [toCustomer, toAgents];
}
