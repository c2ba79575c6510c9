import { Elysia } from "elysia";
import { conversationDeps, type AppContext } from "../app-context.ts";
import { ConversationLimited } from "../conversations/model.ts";
import * as conversations from "../conversations/service.ts";
import { clientIp } from "../http/client-ip.ts";
import type { LimitVerdict } from "../limits/rate-limits.ts";
import { MessageRejected } from "../messages/model.ts";
import { CATCH_UP_LIMIT, messagesAfter } from "../messages/service.ts";
import { topics } from "../realtime/topics.ts";
import { widgetFrames, type ErrorFrame, type WidgetConversation } from "./frames.ts";
import { BadFrame, parseClientFrame, type ClientFrame } from "./model.ts";
import { admitClaims, originAllowed, widgetConversation, type Admitted } from "./service.ts";
import { verifyVisitorToken, type VisitorClaims } from "./visitor-token.ts";
import { errorMessage } from "../log/logger.ts";
import { recordVisit } from "../contacts/queries.ts";
import { browserOf, pageUrl, type Visit } from "../contacts/visit.ts";

/** A socket that has not authenticated by then is closed: it holds a slot and proves nothing. */
const AUTH_TIMEOUT_MS = 10_000;

/** What the server knows about one widget socket; lives in ws.data for the socket's lifetime. */
interface WidgetSocketState {
  /** Set by auth; checked again before each send and handoff (see `admit`). */
  visitor: Admitted | null;
  /** The token's claims, verified once at auth: the HMAC is not checked again per message. */
  claims: VisitorClaims | null;
  conversationId: string | null;
  ip: string | null;
  origin: string | null;
  authTimer: Timer | null;
  /** The last typing signal forwarded to agents said "on". */
  typingOn: boolean;
  /** Where the customer is (auth's page, the upgrade's User-Agent); `visitRecorded` once it is on their contact row. */
  visit: Visit;
  visitRecorded: boolean;
  /** Frames are handled one at a time, in order: a send must not overtake the auth before it. */
  queue: Promise<void>;
}

/** The part of Bun's ServerWebSocket this file uses. */
interface Ws {
  send(data: string): number;
  subscribe(topic: string): void;
  close(code?: number, reason?: string): void;
  readonly raw: object;
}

/**
 * The customer's socket (docs/widget-protocol.md). The token arrives in the first frame, never
 * in the URL; the origin is checked against the inbox it names. Every frame is validated and a bad
 * one is answered with an `error` frame; nothing a client sends can crash the process.
 */
export function widgetSocket(ctx: AppContext) {
  const ownOrigin = ctx.config.publicUrl.origin;
  const deps = conversationDeps(ctx);

  /** A send Bun dropped (past the backpressure limit) must not go unnoticed: close, let the client resume. */
  function send(ws: Ws, frame: string) {
    if (ws.send(frame) === 0) ws.close(1013, "too far behind: reconnect and resume");
  }

  const fail = (ws: Ws, frame: ErrorFrame) => send(ws, widgetFrames.error(frame));

  /** Refused: tells the client when to try again (a send's refusal names its clientId). */
  function limited(ws: Ws, verdict: LimitVerdict, clientId?: string): boolean {
    if (verdict.ok) return false;
    const what = clientId === undefined ? "requests" : "messages";
    fail(ws, { code: "rate_limited", message: `Too many ${what}. Try again in ${verdict.retryAfter} s.`, retryAfter: verdict.retryAfter, clientId });
    return true;
  }

  /**
   * Subscribes to the conversation's customer topic (once) and returns how it looks now. The
   * subscription comes before the read, so a message committed in between is both counted in
   * lastSeq and pushed; the sweeper then watches for anything the bus loses after that point.
   */
  async function join(ws: Ws, state: WidgetSocketState, conversationId: string): Promise<WidgetConversation | null> {
    const first = state.conversationId !== conversationId;
    if (first) {
      state.conversationId = conversationId;
      ws.subscribe(topics.conversation(conversationId));
    }
    const view = await widgetConversation(ctx.database.db, conversationId);
    if (first) ctx.sweeper.watch(conversationId, view?.lastSeq ?? 0);
    return view;
  }

  /** Joins a conversation whose first pushes went out before this socket listened: its status and all of it. */
  async function joinLate(ws: Ws, state: WidgetSocketState, conversationId: string) {
    const view = await join(ws, state, conversationId);
    if (view) send(ws, widgetFrames.status({ status: view.status, queuePosition: view.queuePosition, agent: view.agent, conversation: view.id }));
    await replay(ws, conversationId, 0);
  }

  /** What agents see of where the customer is: never worth failing the chat over. */
  function noteVisit(contactId: string, visit: Visit): Promise<boolean> {
    return recordVisit(ctx.database.db, contactId, visit).catch((err: unknown) => {
      ctx.log.warn("could not record the visitor's page", { error: errorMessage(err) });
      return false;
    });
  }

  /** Everything after `lastSeq`, page by page, as message frames. */
  async function replay(ws: Ws, conversationId: string, lastSeq: number) {
    let after = lastSeq;
    for (;;) {
      const page = await messagesAfter(ctx.database.db, conversationId, after);
      for (const m of page) send(ws, widgetFrames.message(m));
      if (page.length < CATCH_UP_LIMIT) return;
      after = page.at(-1)!.seq;
    }
  }

  /**
   * The visitor with the inbox as it is now, as the HTTP API reads it per request: at auth, and
   * again before each send and handoff, so an admin's change (greeting, FAQ, handoff mode) applies
   * from the next message on, and a socket that the inbox no longer admits (identity now required,
   * origin removed, token expired) is closed; the client then starts a new session and is told why.
   */
  async function admit(ws: Ws, state: WidgetSocketState, claims: VisitorClaims | null): Promise<Admitted | null> {
    const earlier = state.visitor ?? undefined;
    const live = claims && claims.expiresAt > Date.now() ? claims : null;
    const visitor = live ? await admitClaims(ctx.database, live, earlier) : null;
    const refused = !visitor ? "unauthorized" : !originAllowed(visitor.inbox, state.origin, ownOrigin) ? "origin_not_allowed" : null;
    if (refused && earlier) {
      fail(ws, { code: "unauthorized", message: "This chat's settings changed: start a new session." });
      ws.close(1008, "unauthorized");
    } else if (refused === "unauthorized") {
      fail(ws, { code: "unauthorized", message: "The token is invalid or expired: start a new session." });
      ws.close(1008, "unauthorized");
    } else if (refused) {
      fail(ws, { code: "origin_not_allowed", message: "This inbox does not accept connections from this website." });
      ws.close(1008, "origin not allowed");
    }
    if (refused) return null;
    state.visitor = visitor;
    return visitor;
  }

  async function auth(ws: Ws, state: WidgetSocketState, token: string, page: string | undefined) {
    const claims = verifyVisitorToken(ctx.sessionSecret, token);
    const visitor = await admit(ws, state, claims);
    if (!visitor) return;
    state.claims = claims;
    clearTimeout(state.authTimer!);
    state.visit = { ...state.visit, page: pageUrl(page, visitor.inbox) };
    state.visitRecorded = await noteVisit(visitor.contactId, state.visit);
    ws.subscribe(topics.visitor(visitor.contactId));
    ws.subscribe(topics.widgets());
    const found = await conversations.findByContact(ctx.database.db, visitor.inbox.id, visitor.contactId);
    const conversation = found ? await join(ws, state, found.id) : null;
    const online = await ctx.presence.anyAgentOnline();
    send(ws, widgetFrames.ready(conversation, conversation?.lastSeq ?? 0, online));
  }

  async function handle(ws: Ws, state: WidgetSocketState, frame: ClientFrame) {
    if (frame.type === "auth") {
      if (state.visitor) return fail(ws, { code: "bad_frame", message: "Already authenticated." });
      return auth(ws, state, frame.token, frame.page);
    }
    const visitor = state.visitor;
    if (!visitor) {
      fail(ws, { code: "unauthorized", message: "Send auth with your token first." });
      return ws.close(1008, "unauthorized");
    }
    const keys = { contact: visitor.contactId, ip: state.ip };
    switch (frame.type) {
      case "send": {
        if (limited(ws, await ctx.limits.take("message", keys), frame.clientId)) return;
        const visitor = await admit(ws, state, state.claims);
        if (!visitor) return;
        try {
          const { message, conversation } = await conversations.customerSends(deps, {
            inbox: visitor.inbox,
            contactId: visitor.contactId,
            locale: visitor.locale,
            clientId: frame.clientId,
            body: frame.body,
            admitNew: () => ctx.limits.take("conversation", keys),
          });
          // This send started the conversation, so its first pushes went out before we listened.
          if (state.conversationId !== conversation.id) await joinLate(ws, state, conversation.id);
          send(ws, widgetFrames.ack(frame.clientId, message));
          // A new visitor's contact row exists from their first message on: now it can say where they are.
          if (!state.visitRecorded) state.visitRecorded = await noteVisit(visitor.contactId, state.visit);
        } catch (err) {
          if (err instanceof MessageRejected) return fail(ws, { code: err.code, message: err.message, clientId: frame.clientId });
          if (err instanceof ConversationLimited) return void limited(ws, { ok: false, retryAfter: err.retryAfter }, frame.clientId);
          // Not stored, so no ack: the client keeps the message in its outbox and sends it again.
          ctx.log.error("widget message failed", { error: errorMessage(err) });
          fail(ws, { code: "server_error", message: "The message was not saved; it will be sent again.", clientId: frame.clientId });
        }
        return;
      }
      // Typing and read frames past their limit are dropped without an error frame: they are hints the
      // customer never sees fail, and the next one (a newer read seq) says the same or more.
      case "typing": {
        if (!state.conversationId) return;
        const allowed = (await ctx.limits.take("typing", keys)).ok;
        // A "stopped typing" that ends what this socket started always goes through, so agents are not
        // left with a typing indicator; it cannot be flooded, as each needs an allowed "on" before it.
        if (!allowed && (frame.on || !state.typingOn)) return;
        state.typingOn = frame.on;
        return conversations.customerTyping(deps, state.conversationId, frame.on);
      }
      case "read":
        if (!state.conversationId || !(await ctx.limits.take("read", keys)).ok) return;
        await conversations.customerRead(deps, state.conversationId, frame.seq);
        return;
      case "resume": {
        if (limited(ws, await ctx.limits.take("history", keys))) return;
        // Joined already (at auth, or by a send or handoff since): only the messages are missing.
        if (state.conversationId) return replay(ws, state.conversationId, frame.lastSeq);
        const found = await conversations.findByContact(ctx.database.db, visitor.inbox.id, visitor.contactId);
        if (!found) return;
        await join(ws, state, found.id);
        return replay(ws, found.id, frame.lastSeq);
      }
      case "handoff": {
        if (limited(ws, await ctx.limits.take("handoff", keys))) return;
        const visitor = await admit(ws, state, state.claims);
        if (!visitor) return;
        let conversation;
        try {
          conversation = await conversations.customerAsksForHuman(deps, { ...visitor, admitNew: () => ctx.limits.take("conversation", keys) });
        } catch (err) {
          if (err instanceof ConversationLimited) return void limited(ws, { ok: false, retryAfter: err.retryAfter });
          throw err;
        }
        if (state.conversationId === conversation.id) return; // the status frame arrives through the topic
        // Started (or first seen) just now: its pushes went out before this socket listened.
        return joinLate(ws, state, conversation.id);
      }
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
          fail(ws, { code: "unauthorized", message: "No auth frame received." });
          ws.close(1008, "auth timeout");
        }, AUTH_TIMEOUT_MS);
      },
      message(ws, raw) {
        const state = ws.data.widgetSocket;
        let frame: ClientFrame;
        try {
          frame = parseClientFrame(raw);
        } catch (err) {
          return fail(ws, { code: "bad_frame", message: err instanceof BadFrame ? err.message : "Unreadable frame." });
        }
        state.queue = state.queue.then(() =>
          handle(ws, state, frame).catch((err: unknown) => {
            ctx.log.error("widget frame failed", { type: frame.type, error: errorMessage(err) });
            fail(ws, { code: "server_error", message: "Something went wrong; try again." });
          }),
        );
      },
      close(ws) {
        const state = ws.data.widgetSocket;
        if (!ctx.socketCaps.widget.release(ws.raw)) return; // refused at open: nothing was set up
        clearTimeout(state.authTimer!);
        ctx.sockets.delete(ws.raw);
        if (state.conversationId) {
          ctx.sweeper.unwatch(state.conversationId);
          if (state.typingOn) void conversations.customerTyping(deps, state.conversationId, false).catch(() => {});
        }
      },
      error({ error }) {
        // Keeps Elysia from echoing validation details to the client (there is no schema here anyway).
        ctx.log.debug("widget socket error", { error: errorMessage(error) });
      },
    });
}
