// "Sam joined the chat": told once per agent the customer is with (issue 18). A change is told when
// it has held for a moment, so internal hops in quick succession (a lead claims, then assigns Sam)
// make one line, or none when they end where they began; the name told is kept for the
// conversation, so a requeue to the same agent, a reload or the next page does not repeat it.
// The agents' own timeline keeps every event.
import { chat } from "./chat-state.js";
import { say } from "./config.js";
import { load, save } from "./storage.js";
import { addNote } from "./transcript.js";

export const joinTiming = { settleMs: 3000 };
let pending = 0;

/** The line for the agent now with the customer, unless it is the one they were told of. */
export function tellJoined() {
  clearTimeout(pending);
  pending = 0;
  const name = chat.conv?.status === "assigned" && chat.conv.agent?.name;
  if (name && name !== load("with")) { save("with", name); addNote(chat, say("joined", { name })); }
}

/** After a status that changed the conversation's state or agent; `first`: the first this page has, which only notes who is there. */
export function agentChanged(first) {
  clearTimeout(pending);
  if (chat.conv.status === "closed") save("with", ""); // a new episode tells its agent again
  else if (!first) pending = setTimeout(tellJoined, joinTiming.settleMs);
  // Whoever is there now is who the customer sees in the transcript: a later change is told against them.
  else if (chat.conv.agent) save("with", chat.conv.agent.name);
}

/** An agent's message arrives: a line still waiting comes before it. */
export const beforeAgentMessage = () => pending && tellJoined();
