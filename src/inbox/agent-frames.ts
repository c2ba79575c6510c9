// The frames an agent's inbox page sends on /ws/inbox, validated. Anything else is ignored (the
// socket's error path): the page could do nothing with an error, and nothing is echoed back.
import { isUuid, TABS, type Tab } from "../conversations/model.ts";

/**
 * The lists and pages a socket can follow with a `follow` frame (one at a time). The inbox page
 * says which tab its list shows: it hears the changes of that list's rows (src/conversations/list-topics.ts).
 */
export type FollowedPage = { page: "inbox"; tab?: Tab } | { page: "tickets" } | { page: "ticket"; ticket: string };

/**
 * `follow`: the page this socket belongs to, whose pushes it receives (the inbox list, the tickets
 * list, one ticket). `view`: follow this conversation too (null: none). `after` is the newest seq
 * the page has rendered of it; the server replays what came after, so nothing committed since the
 * render is missed. (htmx's `hx-ws:send` adds a `headers` field, which is ignored.)
 */
export type AgentFrame =
  | ({ type: "follow" } & FollowedPage)
  | { type: "view"; conversation: string | null; after?: number }
  | { type: "typing"; conversation: string; on: boolean };

/** Every frame type the agents' socket accepts (the authorization matrix test walks them). */
export const AGENT_FRAME_TYPES = Object.keys({ follow: true, view: true, typing: true } satisfies Record<AgentFrame["type"], true>) as AgentFrame["type"][];

/** Seqs are PostgreSQL integers. */
const MAX_SEQ = 2 ** 31 - 1;

/** An integer from 0 to MAX_SEQ, as a JSON number or (from a form field) its digits; undefined when absent; null when bad. */
function seqField(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= MAX_SEQ ? n : null;
}

function booleanField(value: unknown): boolean | null {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return null;
}

export function parseAgentFrame(raw: unknown): AgentFrame | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const f = raw as Record<string, unknown>;
  if (f.type === "follow") {
    if (f.page === "inbox" && f.tab !== undefined) return (TABS as readonly unknown[]).includes(f.tab) ? { type: "follow", page: "inbox", tab: f.tab as Tab } : null;
    if (f.page === "inbox" || f.page === "tickets") return { type: "follow", page: f.page };
    if (f.page === "ticket" && isUuid(f.ticket)) return { type: "follow", page: "ticket", ticket: f.ticket };
    return null;
  }
  if (f.type === "view") {
    if (!(f.conversation === null || f.conversation === "" || isUuid(f.conversation))) return null;
    const conversation = f.conversation ? (f.conversation as string) : null;
    const after = seqField(f.after);
    if (after === null) return null;
    return after === undefined || conversation === null ? { type: "view", conversation } : { type: "view", conversation, after };
  }
  const on = booleanField(f.on);
  if (f.type === "typing" && isUuid(f.conversation) && on !== null) return { type: "typing", conversation: f.conversation, on };
  return null;
}
