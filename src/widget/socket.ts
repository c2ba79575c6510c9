import type { ServerWebSocket } from "bun";
import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import { browserOf, type Visit } from "../contacts/visit.ts";
import { clientIp } from "../http/client-ip.ts";
import { errorMessage } from "../log/logger.ts";
import { frameSpan } from "../tracing/work-spans.ts";
import { BadFrame, clientIdOf, parseClientFrame, type ClientFrame } from "./model.ts";
import { widgetSocketService, type WidgetSocketState, type WidgetWs } from "./socket-service.ts";
import type { Admitted } from "./service.ts";
import type { VisitorClaims } from "./visitor-token.ts";

/** A socket that has not authenticated by then is closed: it holds a slot and proves nothing. */
const AUTH_TIMEOUT_MS = 10_000;

const NOTHING_QUEUED: Promise<void> = Promise.resolve();

/** Text frames are JSON; what does not parse is handed on as it came, and refused there. */
function decode(raw: string | Buffer): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * The customer's socket (docs/widget-protocol.md): it parses each frame and hands it to the
 * service (socket-service.ts), one at a time. The token arrives in the first frame, never in the
 * URL; a bad frame is answered with an `error` frame; nothing a client sends can crash the process.
 *
 * The upgrade is done here, not by Elysia's `.ws()`: that keeps the whole upgrade context (the
 * request, its headers, the cookie jar, `set`, the store) and a dozen closures in every socket's
 * ws.data for the socket's lifetime, about 5 KB of heap per idle socket (bench/socket-memory.ts).
 * Here ws.data is one small WidgetConnection, whose handlers sit on its class's prototype: Elysia's
 * server-wide WebSocket handler calls ws.data.open, .message and .close.
 */
export function widgetSocket(ctx: AppContext) {
  const service = widgetSocketService(ctx);

  function dispatch(ws: WidgetWs, state: WidgetSocketState, frame: ClientFrame) {
    // Only a resume that comes straight after the join is bounded by it (see replayUpTo).
    if (frame.type !== "resume") state.replayUpTo = null;
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
      case "rate":
        return service.rate(ws, state, frame);
    }
  }

  async function handle(ws: WidgetWs, state: WidgetSocketState, frame: ClientFrame, clientId: string | undefined) {
    try {
      await frameSpan("widget", frame.type, () => ({ conversation: state.conversationId, contact: state.visitor?.contactId }), () => dispatch(ws, state, frame));
    } catch (err) {
      // A send that failed before it reached the database (its inbox lookup, say) is still a send: the client resends it by this clientId.
      ctx.log.error("widget frame failed", { type: frame.type, error: errorMessage(err) });
      service.fail(ws, { code: "server_error", message: "Something went wrong; try again.", clientId });
    }
  }

  function authTimedOut(ws: WidgetWs) {
    service.fail(ws, { code: "unauthorized", message: "No auth frame received." });
    ws.close(1008, "auth timeout");
  }

  /** One widget socket: its state (socket-service.ts) and, shared by all of them, its handlers. */
  class WidgetConnection implements WidgetSocketState {
    visitor: Admitted | null = null;
    claims: VisitorClaims | null = null;
    conversationId: string | null = null;
    replayUpTo: number | null = null;
    authTimer: Timer | null = null;
    typingOn = false;
    visit: Visit;
    visitRecorded = false;
    queue: Promise<void> | null = null;
    askPending = false;

    constructor(
      readonly ip: string | null,
      readonly origin: string | null,
      userAgent: string | null,
    ) {
      this.visit = { page: null, browser: browserOf(userAgent) };
    }

    open(ws: ServerWebSocket<WidgetConnection>) {
      // Upgrades that arrived together all passed the check before the upgrade: the ones past the cap end here.
      if (!ctx.socketCaps.widget.claim(ws, this.ip)) return ws.close(1013, "too many connections from this address");
      ctx.sockets.add(ws);
      this.authTimer = setTimeout(authTimedOut, AUTH_TIMEOUT_MS, ws);
    }

    message(ws: ServerWebSocket<WidgetConnection>, raw: string | Buffer) {
      const decoded = decode(raw);
      const clientId = clientIdOf(decoded);
      let frame: ClientFrame;
      try {
        frame = parseClientFrame(decoded);
      } catch (err) {
        return service.fail(ws, { code: "bad_frame", message: err instanceof BadFrame ? err.message : "Unreadable frame.", clientId });
      }
      // The client has done its part once its auth arrives: a busy server (a reconnect storm) must
      // not close it for the time the auth takes to handle. A bad token is refused there anyway.
      if (frame.type === "auth" && this.authTimer) {
        clearTimeout(this.authTimer);
        this.authTimer = null;
      }
      // Frames are handled one at a time, in order; an idle socket keeps no promise.
      const done = (this.queue ?? NOTHING_QUEUED).then(() => handle(ws, this, frame, clientId));
      this.queue = done;
      void done.then(() => {
        if (this.queue === done) this.queue = null;
      });
    }

    close(ws: ServerWebSocket<WidgetConnection>) {
      if (!ctx.socketCaps.widget.release(ws)) return; // refused at open: nothing was set up
      ctx.sockets.delete(ws);
      service.closed(this);
    }
  }

  return new Elysia().get("/ws/widget", ({ request, server, set, status }) => {
    const ip = clientIp(request, server, ctx.config.trustProxy);
    if (!ctx.socketCaps.widget.hasRoom(ip)) return status(429, "Too many open connections from this address");
    const data = new WidgetConnection(ip, request.headers.get("origin"), request.headers.get("user-agent"));
    // The headers the global hooks set (security headers) go out with the 101, as Elysia's .ws() does.
    const headers = Object.keys(set.headers).length ? (set.headers as Record<string, string>) : undefined;
    if (!server?.upgrade(request, { data, headers })) return status(400, "Expected a websocket connection");
  });
}
