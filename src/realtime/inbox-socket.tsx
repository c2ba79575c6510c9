import { Elysia } from "elysia";
import { conversationDeps, type AppContext } from "../app-context.ts";
import { agentFromCookie, SESSION_COOKIE } from "../auth/agent-session.ts";
import { isOwnOrigin } from "../auth/same-origin.ts";
import { isUuid } from "../conversations/model.ts";
import * as conversations from "../conversations/service.ts";
import { LiveStatus } from "../../views/inbox/live-status.tsx";
import { topics } from "./topics.ts";
import { errorMessage } from "../log/logger.ts";

/** Per socket: the one conversation the agent has open, whose pushes it receives. */
interface InboxSocketState {
  viewing: string | null;
  typingIn: string | null;
}

/** Frames an agent's page sends (htmx `hx-ws:send` adds a `headers` field, which is ignored). */
type AgentFrame = { type: "view"; conversation: string | null } | { type: "typing"; conversation: string; on: boolean };

function parseAgentFrame(raw: unknown): AgentFrame | null {
  if (typeof raw !== "object" || raw === null) return null;
  const f = raw as Record<string, unknown>;
  if (f.type === "view" && (f.conversation === null || f.conversation === "" || isUuid(f.conversation))) {
    return { type: "view", conversation: f.conversation ? (f.conversation as string) : null };
  }
  const on = f.on === true || f.on === "true" ? true : f.on === false || f.on === "false" ? false : null;
  if (f.type === "typing" && isUuid(f.conversation) && on !== null) return { type: "typing", conversation: f.conversation, on };
  return null;
}

/**
 * The agents' socket: htmx's ws extension connects it and swaps the partials the server pushes.
 * Authenticated by the session cookie; the Origin is checked too, because browsers send cookies
 * on cross-site WebSocket upgrades. Every agent hears the inbox topic and their own; the
 * conversation they open is followed through a `view` frame (the server picks the topic).
 */
export function inboxSocket(ctx: AppContext) {
  const publicOrigin = ctx.config.publicUrl.origin;
  const deps = conversationDeps(ctx);

  async function view(ws: { subscribe(t: string): void; unsubscribe(t: string): void }, state: InboxSocketState, id: string | null) {
    if (state.viewing === id) return;
    if (state.viewing) {
      ws.unsubscribe(topics.conversationAgents(state.viewing));
      ctx.sweeper.unwatch(state.viewing);
    }
    state.viewing = null;
    if (!id) return;
    ws.subscribe(topics.conversationAgents(id));
    // Read after subscribing, so nothing committed in between is missed by both (see widget socket).
    const conversation = await conversations.findConversation(ctx.database.db, id);
    if (!conversation) return ws.unsubscribe(topics.conversationAgents(id));
    state.viewing = id;
    ctx.sweeper.watch(id, conversation.lastSeq);
  }

  return new Elysia()
    .derive(async ({ cookie, request }) => ({
      // derive runs once per upgrade (beforeHandle runs twice), so the lookup happens here.
      socketAgent: request.headers.get("upgrade")?.toLowerCase() === "websocket"
        ? await agentFromCookie(ctx, cookie[SESSION_COOKIE]?.value)
        : null,
      inboxSocket: { viewing: null, typingIn: null } as InboxSocketState,
    }))
    .ws("/ws/inbox", {
      beforeHandle({ socketAgent, request, status }) {
        // Unlike a form post, an upgrade without an Origin is refused: every browser sends one.
        const origin = request.headers.get("origin");
        if (!origin || !isOwnOrigin(origin, request.headers.get("host"), publicOrigin)) {
          return status(403, "Origin not allowed");
        }
        if (!socketAgent) return status(401, "Sign in first");
      },
      async open(ws) {
        const agent = ws.data.socketAgent!;
        ws.subscribe(topics.inbox());
        ws.subscribe(topics.agent(agent.id));
        ctx.sockets.add(ws.raw, agent.id);
        if (ctx.presence.connected(agent.id)) ctx.presenceAnnouncer.changed();
        ws.send(await (<LiveStatus state="live" oob />));
      },
      close(ws) {
        const state = ws.data.inboxSocket;
        ctx.sockets.delete(ws.raw);
        if (ctx.presence.disconnected(ws.data.socketAgent!.id)) ctx.presenceAnnouncer.changed();
        if (state.viewing) ctx.sweeper.unwatch(state.viewing);
        if (state.typingIn) conversations.agentTyping(deps, state.typingIn, false);
      },
      async message(ws, raw) {
        const frame = parseAgentFrame(raw);
        // Unknown frames are ignored, never echoed: the page cannot do anything with an error here.
        if (!frame) return;
        const state = ws.data.inboxSocket;
        try {
          if (frame.type === "view") return await view(ws, state, frame.conversation);
          state.typingIn = frame.on ? frame.conversation : null;
          conversations.agentTyping(deps, frame.conversation, frame.on);
        } catch (err) {
          ctx.log.error("inbox socket frame failed", { type: frame.type, error: errorMessage(err) });
        }
      },
      error({ error }) {
        ctx.log.debug("inbox socket frame rejected", { error: errorMessage(error) });
      },
    });
}
