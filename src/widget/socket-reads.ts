// What a widget socket reads when it authenticates and joins, for many sockets at once (see
// src/db/batched-reads.ts). A reconnect storm authenticates thousands of sockets in seconds: one
// statement per socket for each of these took the instance they reconnected to, and the join's
// read scanned the queue up to each waiting customer's place (with 9,500 waiting, PostgreSQL took
// both cores for tens of seconds). Batched, a join costs one scan of the queue per batch.
import { findContacts } from "../contacts/queries.ts";
import * as conversations from "../conversations/service.ts";
import type { Db } from "../db/database.ts";
import { batchedReads } from "../db/batched-reads.ts";
import type { WidgetConversation } from "./frames.ts";
import { widgetView } from "./service.ts";

export function widgetSocketReads(db: Db) {
  const summaries = batchedReads(async (ids) => new Map((await conversations.summaries(db, ids)).map((s) => [s.id, s])));
  return {
    /** How the conversation looks now: read after this call (the join subscribed first). */
    conversation: async (conversationId: string): Promise<WidgetConversation | null> => widgetView(db, await summaries(conversationId)),
    /** The contact's row (admission reads it at auth, and before a send while an unverified visitor's inbox requires identity). */
    contact: batchedReads(async (ids) => new Map((await findContacts(db, ids)).map((c) => [c.id, c]))),
    /** The contact's conversation in an inbox, keyed `${inboxId}:${contactId}`: see `conversationOf`. */
    conversationByContact: batchedReads(async (keys) => {
      const pairs = keys.map((key) => key.split(":") as [string, string]);
      return new Map((await conversations.findByContacts(db, pairs)).map((c) => [`${c.inboxId}:${c.contactId}`, c]));
    }),
  };
}

export type WidgetSocketReads = ReturnType<typeof widgetSocketReads>;

/** The contact's conversation in the inbox, read with the other sockets authenticating meanwhile. */
export const conversationOf = (reads: WidgetSocketReads, inboxId: string, contactId: string) => reads.conversationByContact(`${inboxId}:${contactId}`);
