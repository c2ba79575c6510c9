// What the agents' socket does, apart from parsing frames: the session it lives by, the page and
// the conversation it follows, the one replay (src/messages/replay.ts). socket.tsx only parses
// frames and dispatches here.
import { conversationDeps, type AppContext } from "../app-context.ts";
import { liveSessions } from "../agents/service.ts";
import * as conversations from "../conversations/service.ts";
import { replay } from "../messages/replay.ts";
import { ACCESS_ENDED_CLOSE_CODE, type ClosableSocket } from "../realtime/socket-registry.ts";
import { topics } from "../realtime/topics.ts";
import { MessagesPush } from "../../views/conversations/message-item.tsx";
import type { FollowedPage } from "./agent-frames.ts";
import { pageTopics } from "../conversations/list-topics.ts";
import type { Tab } from "../conversations/model.ts";
import { listPush } from "../../views/components/list-push.ts";
import type { SessionRecheck } from "../auth/session-recheck.ts";
import type { SocketPresence } from "../collision/collision-service.tsx";
import { errorMessage } from "../log/logger.ts";
import { currentTeamStatus } from "./team-status.tsx";

/** Per socket: the session it lives by, the page it follows and the conversation the agent has open. */
export interface InboxSocketState {
  /** Re-checks the socket's session while it is open; set at open. */
  recheck: SessionRecheck | null;
  /** The agent whose socket this is (set at open): the topics of the inbox's tabs are derived from it. */
  agentId: string | null;
  /**
   * What this socket follows: its page's topic (the inbox list, the tickets list, one ticket), on
   * the inbox page the tab its list shows (null: it did not say; undefined: another page), and all
   * the topics it is subscribed to for them (the page's, then the tab's: list-topics.ts).
   */
  followed: { page: string; tab: Tab | null | undefined; topics: string[] } | null;
  viewing: string | null;
  typingIn: string | null;
  /** What the collision guard knows of this socket (src/collision); set at open. */
  presence: SocketPresence | null;
  /** Frames are handled one at a time, in order: a `view` must be done before the next one starts. */
  queue: Promise<void>;
  closed: boolean;
}

export const newInboxSocketState = (): InboxSocketState => ({
  recheck: null,
  agentId: null,
  followed: null,
  viewing: null,
  typingIn: null,
  presence: null,
  queue: Promise.resolve(),
  closed: false,
});

/** The part of Elysia's socket the service uses. */
export interface Ws {
  /** Bun's own socket, as the registry knows it. */
  readonly raw: ClosableSocket;
  send(data: string): number;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  close(code?: number, reason?: string): void;
}

const pageTopic = (page: FollowedPage) =>
  page.page === "inbox" ? topics.inbox() : page.page === "tickets" ? topics.tickets() : topics.ticket(page.ticket);

export function inboxSocketService(ctx: AppContext) {
  const deps = conversationDeps(ctx);

  /** The session's expiry while it lives, or null once it ended (signed out, expired, deactivated). */
  const sessionExpiry = async (sessionId: string) => (await liveSessions(ctx.database.db, [sessionId])).get(sessionId) ?? null;

  function endSession(ws: Ws) {
    ctx.sockets.delete(ws.raw);
    ws.close(ACCESS_ENDED_CLOSE_CODE, "session ended");
  }

  /** A send Bun dropped (past the backpressure limit) must not go unnoticed: close; the page reconnects and catches up. */
  function send(ws: Ws, data: string): boolean {
    if (ws.send(data) !== 0) return true;
    ws.close(1013, "too far behind: reconnect");
    return false;
  }

  /**
   * The page's pushes, instead of the previous page's: a socket follows one page at a time. On the
   * inbox page, also those of the tab its list shows, for the agent the socket belongs to (never
   * another's Mine). A change of tab makes the list ask for itself again: the new tab's rows were
   * read before its topics were subscribed, and a change in between would be missed.
   */
  function follow(ws: Ws, state: InboxSocketState, page: FollowedPage) {
    if (state.closed || !state.agentId) return;
    const before = state.followed;
    const topic = pageTopic(page);
    const tab = page.page === "inbox" ? (page.tab ?? null) : undefined;
    if (before && before.page === topic && before.tab === tab) return;
    const topics = [topic, ...(tab === undefined ? [] : pageTopics(tab, state.agentId))];
    for (const t of topics) if (!before?.topics.includes(t)) ws.subscribe(t);
    for (const t of before?.topics ?? []) if (!topics.includes(t)) ws.unsubscribe(t);
    state.followed = { page: topic, tab, topics };
    if (before?.tab && tab) send(ws, listPush("inbox"));
    // Newly on the inbox page (or back after a reconnect): the team's state in its header, as it is now.
    if (page.page === "inbox" && before?.page !== topic) void teamStatusNow(ws, state);
  }

  async function teamStatusNow(ws: Ws, state: InboxSocketState) {
    try {
      const frame = await currentTeamStatus(ctx.onlineAgents);
      if (!state.closed) send(ws, frame);
    } catch (err) {
      ctx.log.warn("could not read the team's state for an inbox page", { error: errorMessage(err) });
    }
  }

  /**
   * Follows one conversation (or none). Subscribed first and read after, so a message committed in
   * between reaches the page through the topic, the replay, or both (the page shows it once, by id).
   * With `after` (the newest seq the page rendered) everything since is replayed, and the sweeper
   * watches from what the page now has; without it, from the conversation's current seq.
   */
  async function view(ws: Ws, state: InboxSocketState, sessionId: string, id: string | null, after: number | undefined) {
    // The session may have ended since the upgrade (and the message saying so been lost): a
    // stolen, signed-out cookie's socket must not replay a conversation.
    if (id && (await sessionExpiry(sessionId)) === null) return endSession(ws);
    if (state.closed || state.viewing === id) return;
    if (state.viewing) {
      ws.unsubscribe(topics.conversationAgents(state.viewing));
      ctx.sweeper.unwatch(state.viewing);
    }
    state.viewing = null;
    if (!id) return;
    ws.subscribe(topics.conversationAgents(id));
    const conversation = await conversations.findConversation(ctx.database.db, id);
    if (!conversation) return ws.unsubscribe(topics.conversationAgents(id));
    let seen = conversation.lastSeq;
    if (after !== undefined && after < conversation.lastSeq) {
      // Each message as the live push sends it (the same partial).
      const replayed = await replay(ctx.database.db, id, after, async (page) => {
        for (const message of page) if (!send(ws, await (<MessagesPush conversationId={id} messages={[message]} />))) return false;
        return true;
      });
      if (replayed === null) return;
      seen = Math.max(after, replayed);
    }
    // Closed while reading: close() found nothing to unwatch, so nothing may be watched now.
    if (state.closed) return;
    state.viewing = id;
    ctx.sweeper.watch(id, seen);
  }

  function typing(state: InboxSocketState, conversationId: string, on: boolean) {
    state.typingIn = on ? conversationId : null;
    conversations.agentTyping(deps, conversationId, on);
  }

  /** The socket closed: nothing it followed is watched any more, and its typing stops. */
  function closed(state: InboxSocketState) {
    state.closed = true;
    state.recheck?.stop();
    if (state.viewing) ctx.sweeper.unwatch(state.viewing);
    state.viewing = null;
    if (state.typingIn) conversations.agentTyping(deps, state.typingIn, false);
  }

  return { sessionExpiry, endSession, follow, view, typing, closed };
}
