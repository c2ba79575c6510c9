import { topics } from "../realtime/topics.ts";
import { widgetFrames } from "../widget/frames.ts";
import { MessagesPush } from "../../views/conversations/message-item.tsx";
import type { MessageWithAuthor } from "./model.ts";

/**
 * One message as each audience receives it, rendered once: the customer's JSON frame and the
 * agents' HTML partial, with their topics. The first delivery and the sweeper's repair send the same.
 */
export async function messagePushes(conversationId: string, message: MessageWithAuthor): Promise<Array<[topic: string, data: string]>> {
  return [
    [topics.conversation(conversationId), widgetFrames.message(message)],
    [topics.conversationAgents(conversationId), await (<MessagesPush conversationId={conversationId} messages={[message]} />)],
  ];
}
