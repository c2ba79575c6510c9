// Round-robin (issue 17): a queued conversation in a round-robin inbox goes to the online agent
// (connected and set to Online) with room under the inbox's limit whose last automatic assignment
// is oldest. One conversation per transaction: the candidates' rows are locked (in id order) while
// their open conversations are counted, then the longest-waiting conversation; so two instances
// never take one agent past the limit, and the queue goes out in its order.
import { Changes, type ConversationDeps } from "../conversations/changes.ts";
import { locked, queueWaitStart } from "../conversations/locked.ts";
import { messagePaths } from "../conversations/message-paths.ts";
import * as conversations from "../conversations/queries.ts";
import type { Db } from "../db/database.ts";
import * as q from "./queries.ts";

export interface Candidate {
  id: string;
  name: string;
  lastAutoAssignedAt: Date | null;
  open: number;
}

/** Whose turn it is: room under `max` (null: no limit), then the oldest last assignment (never first), then id. */
export function nextInTurn(candidates: Candidate[], max: number | null): Candidate | undefined {
  const turn = (c: Candidate) => c.lastAutoAssignedAt?.getTime() ?? -Infinity;
  return candidates
    .filter((c) => max === null || c.open < max)
    .sort((a, b) => turn(a) - turn(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
}

/**
 * Assigns the inbox's longest-waiting conversation: "given"; "full" when nobody online has room;
 * "empty" when nothing waits (or what was found changed while its lock was awaited).
 */
async function assignOne(deps: ConversationDeps, inbox: { id: string; maxOpenPerAgent: number | null }, online: string[]): Promise<"given" | "full" | "empty"> {
  const changes = new Changes();
  const outcome = await deps.db.transaction(async (tx: Db) => {
    // Agents first (see queries.ts): whose turn it is, with their counts final until the commit.
    const agents = await q.lockCandidates(tx, online);
    const counts = await q.openCounts(tx, agents.map((a) => a.id));
    const agent = nextInTurn(agents.map((a) => ({ ...a, open: counts.get(a.id) ?? 0 })), inbox.maxOpenPerAgent);
    if (!agent) return "full" as const;
    const id = await q.lockNextQueued(tx, inbox.id);
    if (!id) return "empty" as const;
    const c = await locked(tx, id);
    const now = new Date();
    const updated = await conversations.updateConversation(tx, c.id, { status: "assigned", assigneeId: agent.id });
    await q.markAutoAssigned(tx, agent.id, now);
    changes.queueChanged = true;
    await changes.record(tx, { conversationId: c.id, type: "assigned", actor: { type: "system" }, at: now, data: { from: null, to: agent.id }, startedAt: queueWaitStart(c), targetName: agent.name });
    return updated;
  });
  if (typeof outcome === "string") return outcome;
  // The customer's next message goes the way this state takes (message-paths.ts).
  messagePaths(deps.db).seen(outcome);
  await changes.announce(deps, outcome.id);
  return "given";
}

/** Gives out what waits in every round-robin inbox until each is empty or everyone online is full. */
export async function drainQueues(deps: ConversationDeps, onlineAgentIds: () => Promise<Set<string>>): Promise<number> {
  let given = 0;
  // Who is online is read once per drain (a presence lookup and a query), not once per inbox.
  const online = [...(await onlineAgentIds())];
  if (online.length === 0) return given;
  for (const inbox of await q.roundRobinInboxesWaiting(deps.db)) {
    for (let retries = 0; retries < 3; ) {
      const outcome = await assignOne(deps, inbox, online);
      if (outcome === "given") given++;
      else if (outcome === "full" || !(await q.anyQueued(deps.db, inbox.id))) break;
      else retries++; // a claim took the one we waited for: the next one, then
    }
  }
  return given;
}
