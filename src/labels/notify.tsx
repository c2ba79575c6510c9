// What happens after a conversation's labels change, once the change has committed: the chips
// and the menu to the agents viewing it (rendered once, the same bytes the poster gets), and its
// list row wherever it is shown (the row publisher's path: labels change no list's membership
// but a label filter's, and every row push makes the lists that show it ask for themselves again).
import type { ConversationDeps } from "../conversations/changes.ts";
import { rowChanged } from "../conversations/notify.tsx";
import { topics } from "../realtime/topics.ts";
import { LabelsLive } from "../../views/conversations/labels-control.tsx";
import type { LabelOption } from "./model.ts";

/** The chips and the menu of a conversation, out of band. */
export async function renderLabels(conversationId: string, options: LabelOption[]): Promise<string> {
  return await (<LabelsLive conversationId={conversationId} options={options} />);
}

/** Publishes the conversation's labels and returns the HTML, for the answer to the agent who changed them. */
export async function labelsChanged(deps: ConversationDeps, conversationId: string, options: LabelOption[]): Promise<string> {
  const html = await renderLabels(conversationId, options);
  deps.bus.publish(topics.conversationAgents(conversationId), html);
  await rowChanged(deps, conversationId, { inPlace: true });
  return html;
}

/**
 * A label was renamed, recoloured or deleted: the rows of the conversations that carried it, and
 * their chips and menus to the agents viewing them. (Other conversations' menus list the label
 * too: a menu asks for itself again each time it opens, see labels-control.tsx.)
 */
export async function labelEdited(deps: ConversationDeps, carried: Array<{ conversationId: string; options: LabelOption[] }>): Promise<void> {
  for (const { conversationId, options } of carried) {
    deps.bus.publish(topics.conversationAgents(conversationId), await renderLabels(conversationId, options));
    await rowChanged(deps, conversationId, { inPlace: true });
  }
}
