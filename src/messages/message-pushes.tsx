import { topics } from "../realtime/topics.ts";
import { widgetFrames } from "../widget/frames.ts";
import { MessagesPush } from "../../views/conversations/message-item.tsx";
import type { MessageWithAuthor } from "./model.ts";

/**
 * One message as each audience receives it, rendered once: the agents' HTML partial and the
 * customer's JSON frame, with their topics. The first delivery and the sweeper's repair send the
 * same. The side waiting for it goes first: the agents for a customer's message, the customer for
 * any other (its sender's own pages have it already).
 */
export async function messagePushes(conversationId: string, message: MessageWithAuthor): Promise<Array<[topic: string, data: string]>> {
  const toAgents: [string, string] = [topics.conversationAgents(conversationId), await (<MessagesPush conversationId={conversationId} messages={[message]} />)];
  const toCustomer: [string, string] = [topics.conversation(conversationId), widgetFrames.message(message)];
  return message.sender === "customer" ? [toAgents, toCustomer] : [toCustomer, toAgents];
}
