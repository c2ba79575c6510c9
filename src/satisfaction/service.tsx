// The customer rates a closed conversation (CSAT): once per closed episode. The rating is stored
// with a `rated` event in one transaction that locks the conversation (so a reopen cannot slip in
// between the check and the write); after the commit the agents' timeline gets the event and the
// customer's other tabs learn that this episode is rated.
import type { ConversationDeps } from "../conversations/changes.ts";
import { locked } from "../conversations/locked.ts";
import { findByContact, insertEvent } from "../conversations/queries.ts";
import { topics } from "../realtime/topics.ts";
import { widgetFrames } from "../widget/frames.ts";
import { EventsPush, type EventView } from "../../views/conversations/conversation-event.tsx";
import { checkRating, RatingRefused, type RatingInput } from "./model.ts";
import * as q from "./queries.ts";

export { currentEpisodeRated } from "./queries.ts";

/** The close a rating link asks about (src/satisfaction/rating-link.ts): any other is refused. */
export interface RatedEpisode {
  conversationId: string;
  /** conversations.closed_at in milliseconds, as the link carries it. */
  closedAt: number;
}

export async function customerRates(deps: ConversationDeps, who: { inboxId: string; contactId: string }, input: RatingInput, episode?: RatedEpisode): Promise<EventView> {
  const { rating, comment } = checkRating(input);
  const found = await findByContact(deps.db, who.inboxId, who.contactId);
  if (!found) throw new RatingRefused("no_conversation", "There is no conversation to rate.");
  const event = await deps.db.transaction(async (tx) => {
    const c = await locked(tx, found.id);
    if (c.status !== "closed" || !c.closedAt) throw new RatingRefused("not_closed", "A conversation can be rated once it is closed.");
    // Checked under the lock: a reopen and a close between the link's check and now would otherwise
    // get its rating. The episode asked about is not the closed one any more: as good as not closed.
    if (episode && (c.id !== episode.conversationId || c.closedAt.getTime() !== episode.closedAt)) {
      throw new RatingRefused("not_closed", "This rating link is for an earlier close of the conversation.");
    }
    const at = new Date();
    // The assignee stays as it was at the close: a closed conversation cannot be reassigned.
    const stored = await q.insertRating(tx, { conversationId: c.id, rating, comment, agentId: c.assigneeId, at });
    if (!stored) throw new RatingRefused("already_rated", "You have already rated this conversation; the first rating is kept.");
    const row = await insertEvent(tx, { conversationId: c.id, type: "rated", actor: { type: "customer" }, at, data: { rating, comment } });
    return { id: row.id, type: "rated" as const, actorName: null, rating, comment, createdAt: row.createdAt };
  });
  deps.bus.publish(topics.conversationAgents(found.id), await (<EventsPush conversationId={found.id} events={[event]} />));
  deps.bus.publish(topics.conversation(found.id), widgetFrames.rated(rating));
  return event;
}
