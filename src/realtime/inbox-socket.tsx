import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import { agentFromCookie, SESSION_COOKIE } from "../auth/agent-session.ts";
import { isOwnOrigin } from "../auth/same-origin.ts";
import { LiveStatus } from "../../views/inbox/live-status.tsx";
import { topics } from "./topics.ts";

/**
 * The agents' socket: htmx's ws extension connects it and swaps the partials the server pushes.
 * Authenticated by the session cookie; the Origin is checked too, because browsers send cookies
 * on cross-site WebSocket upgrades. What agents send over it arrives with the conversation verbs.
 */
export function inboxSocket(ctx: AppContext) {
  const publicOrigin = ctx.config.publicUrl.origin;
  return new Elysia()
    .derive(async ({ cookie, request }) => ({
      // derive runs once per upgrade (beforeHandle runs twice), so the lookup happens here.
      socketAgent: request.headers.get("upgrade")?.toLowerCase() === "websocket"
        ? await agentFromCookie(ctx, cookie[SESSION_COOKIE]?.value)
        : null,
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
        ctx.sockets.add(ws.raw);
        ws.send(await (<LiveStatus state="live" oob />));
      },
      close(ws) {
        ctx.sockets.delete(ws.raw);
      },
      message() {
        // No agent verbs travel over the socket yet; frames are ignored, never echoed.
      },
      error({ error }) {
        ctx.log.debug("inbox socket frame rejected", { error: error instanceof Error ? error.message : "invalid" });
      },
    });
}

