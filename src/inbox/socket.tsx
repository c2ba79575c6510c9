import { Elysia } from "elysia";
import { conversationDeps, type AppContext } from "../app-context.ts";
import { liveSessions } from "../agents/service.ts";
import { SESSION_COOKIE, sessionFromCookie } from "../auth/agent-session.ts";
import { recheckSession, type SessionRecheck } from "../auth/session-recheck.ts";
import { isOwnOrigin } from "../auth/same-origin.ts";
import { clientIp } from "../http/client-ip.ts";
import * as conversations from "../conversations/service.ts";
import { CATCH_UP_LIMIT, messagesAfter } from "../messages/service.ts";
import { MessagesPush } from "../../views/conversations/message-item.tsx";
import { LiveStatus } from "../../views/inbox/live-status.tsx";
import { parseAgentFrame, type AgentFrame } from "./agent-frames.ts";
import { ACCESS_ENDED_CLOSE_CODE, type ClosableSocket } from "../realtime/socket-registry.ts";
import { topics } from "../realtime/topics.ts";
import { errorMessage } from "../log/logger.ts";

/** Per socket: the session it lives by, and the one conversation the agent has open, whose pushes it receives. */
interface InboxSocketState {
  /** Re-checks the socket's session while it is open; set at open. */
  recheck: SessionRecheck | null;
  viewing: string | null;
  typingIn: string | null;
  /** Frames are handled one at a time, in order: a `view` must be done before the next one starts. */
  queue: Promise<void>;
  closed: boolean;
}

/** The part of Elysia's socket this file uses. */
interface Ws {
  /** Bun's own socket, as the registry knows it. */
  readonly raw: ClosableSocket;
  send(data: string): number;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  close(code?: number, reason?: string): void;
}

/**
 * The agents' socket: htmx's ws extension connects it and swaps the partials the server pushes.
 * Authenticated by the session cookie; the Origin is checked too, because browsers send cookies
 * on cross-site WebSocket upgrades. Every agent hears the inbox and tickets topics and their own;
 * the conversation they open is followed through a `view` frame (the server picks the topic).
 * The socket lives only as long as its session: sign-out, a password change ("end other
 * sessions"), deactivation and expiry close it, on whichever instance it is open, and a `view`
 * checks the session again before it replays anything.
 */
export function inboxSocket(ctx: AppContext) {
  const publicOrigin = ctx.config.publicUrl.origin;
  const deps = conversationDeps(ctx);

  // Whichever instance deactivated an agent, each instance closes that agent's sockets of its own.
  ctx.bus.onControl((message) => {
    if (message.type === "agent_access_ended") {
      const closed = ctx.sockets.closeAgent(message.agentId, ACCESS_ENDED_CLOSE_CODE, "account deactivated");
      if (closed) ctx.log.info("closed the sockets of an agent whose access ended", { agent: message.agentId, sockets: closed });
    } else if (message.type === "sessions_ended") {
      const closed = ctx.sockets.closeSessions(message.sessionIds, ACCESS_ENDED_CLOSE_CODE, "session ended");
      if (closed) ctx.log.info("closed the sockets of sessions that ended", { sockets: closed });
    }
  });

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
   * Sends the messages after `after`, oldest first, as the live push sends each one (the same
   * partial). Returns the newest seq sent (or `after`), or null when the socket gave up on the way.
   */
  async function replay(ws: Ws, conversationId: string, after: number): Promise<number | null> {
    let sent = after;
    for (;;) {
      const page = await messagesAfter(ctx.database.db, conversationId, sent);
      for (const message of page) {
        if (!send(ws, await (<MessagesPush conversationId={conversationId} messages={[message]} />))) return null;
        sent = message.seq;
      }
      if (page.length < CATCH_UP_LIMIT) return sent;
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
      const replayed = await replay(ws, id, after);
      if (replayed === null) return;
      seen = Math.max(after, replayed);
    }
    // Closed while reading: close() found nothing to unwatch, so nothing may be watched now.
    if (state.closed) return;
    state.viewing = id;
    ctx.sweeper.watch(id, seen);
  }

  async function handle(ws: Ws, state: InboxSocketState, sessionId: string, frame: AgentFrame) {
    if (state.closed) return;
    try {
      if (frame.type === "view") return await view(ws, state, sessionId, frame.conversation, frame.after);
      state.typingIn = frame.on ? frame.conversation : null;
      conversations.agentTyping(deps, frame.conversation, frame.on);
    } catch (err) {
      ctx.log.error("inbox socket frame failed", { type: frame.type, error: errorMessage(err) });
    }
  }

  return new Elysia()
    .derive(async ({ cookie, request }) => ({
      // derive runs once per upgrade (beforeHandle runs twice), so the lookup happens here.
      socketSession: request.headers.get("upgrade")?.toLowerCase() === "websocket"
        ? await sessionFromCookie(ctx, cookie[SESSION_COOKIE]?.value)
        : null,
      inboxSocket: { recheck: null, viewing: null, typingIn: null, queue: Promise.resolve(), closed: false } as InboxSocketState,
    }))
    .ws("/ws/inbox", {
      beforeHandle({ socketSession, request, server, status }) {
        // Unlike a form post, an upgrade without an Origin is refused: every browser sends one.
        const origin = request.headers.get("origin");
        if (!origin || !isOwnOrigin(origin, request.headers.get("host"), publicOrigin)) {
          return status(403, "Origin not allowed");
        }
        if (!socketSession) return status(401, "Sign in first");
        if (!ctx.socketCaps.agent.hasRoom(clientIp(request, server, ctx.config.trustProxy))) return status(429, "Too many open connections from this address");
      },
      async open(ws) {
        // Upgrades that arrived together all passed beforeHandle: the ones past the cap end here.
        if (!ctx.socketCaps.agent.claim(ws.raw, clientIp(ws.data.request, ws.data.server, ctx.config.trustProxy))) return ws.close(1013, "too many connections from this address");
        const { agent, sessionId } = ws.data.socketSession!;
        const state = ws.data.inboxSocket;
        ws.subscribe(topics.inbox());
        ws.subscribe(topics.tickets());
        ws.subscribe(topics.agent(agent.id));
        ctx.sockets.add(ws.raw, { agentId: agent.id, sessionId });
        // Checked once more right away: a sign-out announced between the upgrade's lookup and this
        // registration found no socket to close. Then again at expiry, or every few minutes.
        state.recheck = recheckSession(new Date(), () => sessionExpiry(sessionId), () => endSession(ws), {
          onError: (err) => ctx.log.warn("could not re-check an inbox socket's session", { error: errorMessage(err) }),
        });
        if (ctx.presence.connected(agent.id)) ctx.presenceAnnouncer.changed();
        ws.send(await (<LiveStatus state="live" oob />));
      },
      close(ws) {
        const state = ws.data.inboxSocket;
        state.closed = true;
        state.recheck?.stop();
        if (!ctx.socketCaps.agent.release(ws.raw)) return; // refused at open: nothing was set up
        ctx.sockets.delete(ws.raw);
        if (ctx.presence.disconnected(ws.data.socketSession!.agent.id)) ctx.presenceAnnouncer.changed();
        if (state.viewing) ctx.sweeper.unwatch(state.viewing);
        state.viewing = null;
        if (state.typingIn) conversations.agentTyping(deps, state.typingIn, false);
      },
      message(ws, raw) {
        const frame = parseAgentFrame(raw);
        // Unknown or malformed frames are ignored, never echoed: the page cannot do anything with an error here.
        if (!frame) return void ctx.log.debug("inbox socket frame ignored");
        const state = ws.data.inboxSocket;
        state.queue = state.queue.then(() => handle(ws, state, ws.data.socketSession!.sessionId, frame));
      },
      error({ error }) {
        ctx.log.debug("inbox socket frame rejected", { error: errorMessage(error) });
      },
    });
}
