import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import { browserOf } from "../contacts/visit.ts";
import { clientIp } from "../http/client-ip.ts";
import { errorMessage } from "../log/logger.ts";
import { frameSpan } from "../tracing/work-spans.ts";
import { BadFrame, clientIdOf, parseClientFrame, type ClientFrame } from "./model.ts";
import { widgetSocketService, type WidgetSocketState, type WidgetWs } from "./socket-service.ts";

/** A socket that has not authenticated by then is closed: it holds a slot and proves nothing. */
const AUTH_TIMEOUT_MS = 10_000;

/**
 * The customer's socket (docs/widget-protocol.md): it parses each frame and hands it to the
 * service (socket-service.ts), one at a time. The token arrives in the first frame, never in the
 * URL; a bad frame is answered with an `error` frame; nothing a client sends can crash the process.
 */
export function widgetSocket(ctx: AppContext) {
  const service = widgetSocketService(ctx);

  function dispatch(ws: WidgetWs, state: WidgetSocketState, frame: ClientFrame) {
    if (frame.type === "auth") return service.auth(ws, state, frame);
    if (!state.visitor) {
      service.fail(ws, { code: "unauthorized", message: "Send auth with your token first." });
      return ws.close(1008, "unauthorized");
    }
    switch (frame.type) {
      case "send":
        return service.send(ws, state, frame);
      case "typing":
        return service.typing(ws, state, frame);
      case "read":
        return service.read(ws, state, frame);
      case "resume":
        return service.resume(ws, state, frame);
      case "handoff":
        return service.handoff(ws, state, frame);
    }
  }

  return new Elysia()
    .derive(({ request, server }) => ({
      // derive runs once per upgrade (beforeHandle twice), so per-socket state starts here.
      widgetSocket: {
        visitor: null,
        claims: null,
        conversationId: null,
        ip: clientIp(request, server, ctx.config.trustProxy),
        origin: request.headers.get("origin"),
        authTimer: null,
        typingOn: false,
        visit: { page: null, browser: browserOf(request.headers.get("user-agent")) },
        visitRecorded: false,
        queue: Promise.resolve(),
        askPending: false,
      } satisfies WidgetSocketState as WidgetSocketState,
    }))
    .ws("/ws/widget", {
      beforeHandle({ widgetSocket, status }) {
        if (!ctx.socketCaps.widget.hasRoom(widgetSocket.ip)) return status(429, "Too many open connections from this address");
      },
      open(ws) {
        const state = ws.data.widgetSocket;
        // Upgrades that arrived together all passed beforeHandle: the ones past the cap end here.
        if (!ctx.socketCaps.widget.claim(ws.raw, state.ip)) return ws.close(1013, "too many connections from this address");
        ctx.sockets.add(ws.raw);
        state.authTimer = setTimeout(() => {
          service.fail(ws, { code: "unauthorized", message: "No auth frame received." });
          ws.close(1008, "auth timeout");
        }, AUTH_TIMEOUT_MS);
      },
      message(ws, raw) {
        const state = ws.data.widgetSocket;
        const clientId = clientIdOf(raw);
        let frame: ClientFrame;
        try {
          frame = parseClientFrame(raw);
        } catch (err) {
          return service.fail(ws, { code: "bad_frame", message: err instanceof BadFrame ? err.message : "Unreadable frame.", clientId });
        }
        state.queue = state.queue.then(async () => {
          try {
            await frameSpan("widget", frame.type, () => ({ conversation: state.conversationId, contact: state.visitor?.contactId }), () => dispatch(ws, state, frame));
          } catch (err) {
            // A send that failed before it reached the database (its inbox lookup, say) is still a send: the client resends it by this clientId.
            ctx.log.error("widget frame failed", { type: frame.type, error: errorMessage(err) });
            service.fail(ws, { code: "server_error", message: "Something went wrong; try again.", clientId });
          }
        });
      },
      close(ws) {
        if (!ctx.socketCaps.widget.release(ws.raw)) return; // refused at open: nothing was set up
        ctx.sockets.delete(ws.raw);
        service.closed(ws.data.widgetSocket);
      },
      error({ error }) {
        // Keeps Elysia from echoing validation details to the client (there is no schema here anyway).
        ctx.log.debug("widget socket error", { error: errorMessage(error) });
      },
    });
}
