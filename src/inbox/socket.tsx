import { Elysia } from "elysia";
import { conversationDeps, type AppContext } from "../app-context.ts";
import { SESSION_COOKIE, sessionFromCookie } from "../auth/agent-session.ts";
import { recheckSession } from "../auth/session-recheck.ts";
import { isOwnOrigin } from "../auth/same-origin.ts";
import { clientIp } from "../http/client-ip.ts";
import { LiveStatus } from "../../views/inbox/live-status.tsx";
import { parseAgentFrame, type AgentFrame } from "./agent-frames.ts";
import { ACCESS_ENDED_CLOSE_CODE } from "../realtime/socket-registry.ts";
import { inboxSocketService, newInboxSocketState, type InboxSocketState, type Ws } from "./socket-service.tsx";
import { topics } from "../realtime/topics.ts";
import { collisionService } from "../collision/collision-service.tsx";
import { errorMessage } from "../log/logger.ts";
import { frameSpan } from "../tracing/work-spans.ts";

/**
 * The agents' socket: htmx's ws extension connects it and swaps the partials the server pushes.
 * Authenticated by the session cookie; the Origin is checked too, because browsers send cookies
 * on cross-site WebSocket upgrades. Every agent hears their own topic; the page says what it shows
 * with a `follow` frame (the inbox list, the tickets list, one ticket) and the conversation it opens
 * with a `view` frame, and the server picks the topics.
 * The socket lives only as long as its session: sign-out, a password change ("end other
 * sessions"), deactivation and expiry close it, on whichever instance it is open, and a `view`
 * checks the session again before it replays anything.
 */
export function inboxSocket(ctx: AppContext) {
  const publicOrigin = ctx.config.publicUrl.origin;
  const service = inboxSocketService(ctx);
  const collision = collisionService(ctx);

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

  async function handle(ws: Ws, state: InboxSocketState, sessionId: string, frame: AgentFrame) {
    if (state.closed) return;
    try {
      if (frame.type === "follow") return service.follow(ws, state, frame);
      if (frame.type === "view") {
        await service.view(ws, state, sessionId, frame.conversation, frame.after);
        // Who views what, for the header of each conversation (src/collision).
        return void (state.presence && (await collision.viewing(state.presence, state.viewing)));
      }
      service.typing(state, frame.conversation, frame.on);
      if (state.presence) await collision.typing(state.presence, frame.conversation, frame.on);
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
      inboxSocket: newInboxSocketState(),
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
        state.agentId = agent.id;
        state.presence = { socket: crypto.randomUUID(), agentId: agent.id, name: agent.name, viewing: null, typing: false };
        // The page's own topics follow with its `follow` and `view` frames.
        ws.subscribe(topics.agent(agent.id));
        ctx.sockets.add(ws.raw, { agentId: agent.id, sessionId });
        // Checked once more right away: a sign-out announced between the upgrade's lookup and this
        // registration found no socket to close. Then again at expiry, or every few minutes.
        state.recheck = recheckSession(new Date(), () => service.sessionExpiry(sessionId), () => service.endSession(ws), {
          onError: (err) => ctx.log.warn("could not re-check an inbox socket's session", { error: errorMessage(err) }),
        });
        if (ctx.presence.connected(agent.id)) {
          ctx.presenceAnnouncer.changed();
          ctx.queueDrainer.kick(conversationDeps(ctx)); // an agent who came online may take what waits
        }
        ctx.inboxSeen.opened(agent.id);
        ws.send(await (<LiveStatus state="live" oob />));
      },
      close(ws) {
        if (ws.data.inboxSocket.presence) void collision.closed(ws.data.inboxSocket.presence);
        service.closed(ws.data.inboxSocket);
        if (!ctx.socketCaps.agent.release(ws.raw)) return; // refused at open: nothing was set up
        ctx.sockets.delete(ws.raw);
        const agentId = ws.data.socketSession!.agent.id;
        if (ctx.presence.disconnected(agentId)) ctx.presenceAnnouncer.changed();
        ctx.inboxSeen.closed(agentId);
      },
      message(ws, raw) {
        const frame = parseAgentFrame(raw);
        // Unknown or malformed frames are ignored, never echoed: the page cannot do anything with an error here.
        if (!frame) return void ctx.log.debug("inbox socket frame ignored");
        const state = ws.data.inboxSocket;
        const { agent, sessionId } = ws.data.socketSession!;
        const ids = () => ({ agent: agent.id, conversation: frame.type === "follow" ? null : frame.conversation });
        state.queue = state.queue.then(() => frameSpan("inbox", frame.type, ids, () => handle(ws, state, sessionId, frame)));
      },
      error({ error }) {
        ctx.log.debug("inbox socket frame rejected", { error: errorMessage(error) });
      },
    });
}
