// "Online" for the widget and round-robin: connected (presence: a socket on any instance) AND set
// to Online (agents.availability, in the database every instance shares). Presence alone only says
// "has a tab open"; an agent who chose Away with the inbox open is not there for customers.
import type { Db } from "../db/database.ts";
import { batchedReads } from "../db/batched-reads.ts";
import type { Presence } from "../realtime/presence.ts";
import { availableAmong } from "./queries.ts";

export interface OnlineAgents {
  /** Agents connected on some instance and set to Online. */
  ids(): Promise<Set<string>>;
  /** Whether any agent is: the widget's "online" / "away". */
  any(): Promise<boolean>;
}

export function onlineAgents(db: Db, presence: Pick<Presence, "onlineAgentIds">): OnlineAgents {
  const read = async () => {
    const connected = await presence.onlineAgentIds();
    // Nobody connected (the common case at night) needs no query.
    return new Set(connected.size === 0 ? [] : await availableAmong(db, [...connected]));
  };
  // Every widget socket's auth asks (its `ready` says whether anyone is there): callers arriving
  // while a read is under way share the next one, which starts after they asked. In a reconnect
  // storm this was a Redis read and a statement per socket; now it is one of each per batch.
  const shared = batchedReads(async () => new Map([["online", await read()]]));
  const ids = async () => new Set(await shared("online"));
  return { ids, any: async () => (await shared("online"))!.size > 0 };
}
