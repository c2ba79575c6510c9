// Saved replies: the verbs and who may use them. Everyone manages their own personal replies;
// the team's are read by everyone and written only by admins (403); a colleague's personal
// reply does not exist for anyone else, admins included (404).
import { AdminsOnly } from "../auth/agent-session.ts";
import { isUuid } from "../conversations/model.ts";
import type { Db } from "../db/database.ts";
import { isUniqueViolation } from "../db/rows.ts";
import { Refusal } from "../http/refusal.ts";
import type { Agent } from "../agents/service.ts";
import { LIMITS, parseReply, searchText, type ReplyErrors, type ReplyFormValues, type Scope } from "./model.ts";
import * as q from "./queries.ts";
import { rankReplies } from "./ranking.ts";
import { fillVariables } from "./variables.ts";

export type { SavedReply } from "./queries.ts";

export class SavedReplyRefused extends Refusal {
  override name = "SavedReplyRefused";
  constructor(message = "This saved reply does not exist.") {
    super(404, "not_found", message);
  }
}

/** Whether `agent` may change `reply` (or make one of its scope). */
export const mayWrite = (agent: Pick<Agent, "role">, scope: Scope) => scope === "personal" || agent.role === "admin";

/** The replies of the settings page, the team's and one's own, matching the search when there is one. */
export async function listReplies(db: Db, agent: Agent, search: string | undefined) {
  const all = await q.listVisible(db, agent.id, searchText(search));
  return { team: all.filter((r) => r.scope === "team"), personal: all.filter((r) => r.scope === "personal") };
}

/** A reply that `agent` may edit; 404 when they may not see it, 403 (the admins' page) for a team reply and an agent. */
export async function replyToEdit(db: Db, agent: Agent, id: string): Promise<q.SavedReply> {
  const reply = isUuid(id) ? await q.findVisible(db, agent.id, id) : undefined;
  if (!reply) throw new SavedReplyRefused();
  if (!mayWrite(agent, reply.scope)) throw new AdminsOnly(agent);
  return reply;
}

export type WriteResult = { ok: true; reply: q.SavedReply } | { ok: false; errors: ReplyErrors };

/** The message for a shortcut the unique index refused (it ignores case, so "Thanks" is "thanks"). */
function shortcutTaken(scope: Scope, shortcut: string): WriteResult {
  const whose = scope === "team" ? "The team already has" : "You already have";
  return { ok: false, errors: { shortcut: `${whose} a reply with the shortcut /${shortcut}.` } };
}

/** Writes, turning the unique index's refusal into the form's message. */
async function write(scope: Scope, shortcut: string, change: () => Promise<q.SavedReply | undefined>): Promise<WriteResult> {
  try {
    const reply = await change();
    if (!reply) throw new SavedReplyRefused();
    return { ok: true, reply };
  } catch (err) {
    if (isUniqueViolation(err)) return shortcutTaken(scope, shortcut);
    throw err;
  }
}

export async function createReply(db: Db, agent: Agent, scope: Scope, form: ReplyFormValues): Promise<WriteResult> {
  if (!mayWrite(agent, scope)) throw new AdminsOnly(agent);
  const parsed = parseReply(form);
  if (!parsed.ok) return parsed;
  return write(scope, parsed.value.shortcut, () => q.insertReply(db, scope, agent.id, parsed.value));
}

export async function updateReply(db: Db, agent: Agent, id: string, form: ReplyFormValues): Promise<WriteResult> {
  const reply = await replyToEdit(db, agent, id);
  const parsed = parseReply(form);
  if (!parsed.ok) return parsed;
  return write(reply.scope, parsed.value.shortcut, () => q.updateReply(db, reply.id, parsed.value));
}

export async function deleteReply(db: Db, agent: Agent, id: string): Promise<void> {
  const reply = await replyToEdit(db, agent, id);
  await q.deleteReply(db, reply.id);
}

/** A reply as the composer offers it: its text filled in for one conversation. */
export interface Suggestion {
  id: string;
  shortcut: string;
  name: string;
  scope: Scope;
  text: string;
}

/**
 * The composer's list for what the agent typed after `/` in a conversation: the replies they may
 * use that match, best first (src/saved-replies/ranking.ts), each with its variables filled in
 * for this conversation's customer and this agent. Undefined for no such conversation.
 */
export async function suggestions(db: Db, agent: Agent, conversationId: string, query: string): Promise<Suggestion[] | undefined> {
  if (!isUuid(conversationId)) return undefined;
  const typed = query.trim().slice(0, LIMITS.search);
  const [contact, found] = await Promise.all([q.contactOf(db, conversationId), q.candidates(db, agent.id, typed)]);
  if (!contact) return undefined;
  const values = { "contact.name": contact.name, "contact.email": contact.email, "agent.name": agent.name };
  return rankReplies(found, typed, LIMITS.suggestions).map((r) => ({ id: r.id, shortcut: r.shortcut, name: r.name, scope: r.scope, text: fillVariables(r.body, values) }));
}
