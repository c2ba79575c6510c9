// What one verb changed, collected inside its transaction and announced after the commit
// (notify.tsx renders and publishes). A verb that throws has changed nothing and tells no one.
import type { Db } from "../db/database.ts";
import type { MessageWithAuthor } from "../messages/model.ts";
import type { EventView } from "../../views/conversations/conversation-event.tsx";
import type { ReplyEmailScheduling } from "../mail/reply-email-schedule.ts";
import { actorLabel, type ConversationSummary } from "./model.ts";
import * as notify from "./notify.tsx";
import { insertEvent } from "./queries.ts";

/**
 * What every conversation verb needs: the database, and where its changes are announced.
 * `replyEmails`: an agent's reply schedules its email job (src/mail); absent, none is scheduled.
 */
export type ConversationDeps = notify.NotifyDeps & {
  replyEmails?: ReplyEmailScheduling;
  /** Round-robin (src/assignment): asked after a change that may make an assignment possible. */
  queueDrain?: () => void;
};

export class Changes {
  readonly events: EventView[] = [];
  readonly messages: MessageWithAuthor[] = [];
  queueChanged = false;
  /** A customer's new message (not a retry): the agent is notified with the row. */
  customerWrote = false;
  newForContact: string | undefined;
  /** The messages are a retry's original, published again: nothing was stored. */
  private republishing = false;

  /** A retry returned this message stored earlier: it is published again (a crash may have lost it). */
  republish(message: MessageWithAuthor) {
    this.messages.push(message);
    this.republishing = true;
  }

  /** Appends an event stamped `at`: the instant the verb wrote on the conversation for the same change. */
  async record(tx: Db, e: Parameters<typeof insertEvent>[1] & { targetName?: string }) {
    const row = await insertEvent(tx, e);
    const actorName = actorLabel(e.actor.type, e.actor.type === "agent" ? e.actor.name : null);
    this.events.push({ id: row.id, type: e.type, actorName, targetName: e.targetName, createdAt: row.createdAt });
    return row;
  }

  /** Tells everyone; returns the summary it read when the state changed (undefined otherwise). */
  async announce(deps: ConversationDeps, conversationId: string): Promise<ConversationSummary | undefined> {
    // Called right after the commit: the metrics' commit-to-publish starts here.
    const committedAt = performance.now();
    let summary: ConversationSummary | undefined;
    if (this.events.length || this.queueChanged) {
      summary = await notify.statusChanged(deps, conversationId, this.events, { queueChanged: this.queueChanged, newForContact: this.newForContact });
    }
    if (this.messages.length) await notify.messagesPosted(deps, conversationId, this.messages, this.republishing ? undefined : committedAt);
    // Every status or assignee change records an event: without one, the row stayed in its lists.
    const inPlace = !this.events.length && !this.queueChanged;
    if (this.events.length || this.queueChanged || this.messages.length) await notify.rowChanged(deps, conversationId, { customerWrote: this.customerWrote, inPlace });
    // Someone waits, or an agent has room again: round-robin may have something to give.
    if (this.queueChanged || this.events.some((e) => e.type === "closed")) deps.queueDrain?.();
    return summary;
  }
}
