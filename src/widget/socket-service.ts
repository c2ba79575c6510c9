// What the customer's socket does (docs/widget-protocol.md), one frame at a time: admission at auth
// and before each send and handoff, joining the conversation, the one replay, and the verbs.
// socket.ts only parses frames and hands them here.
import { conversationDeps, type AppContext } from "../app-context.ts";
import { filesOf } from "../files/files-of.ts";
import { ConversationLimited } from "../conversations/model.ts";
import * as conversations from "../conversations/service.ts";
import { pageUrl, type Visit } from "../contacts/visit.ts";
import type { LimitVerdict } from "../limits/rate-limits.ts";
import { errorMessage } from "../log/logger.ts";
import { MessageRejected } from "../messages/model.ts";
import { replay } from "../messages/replay.ts";
import { topics } from "../realtime/topics.ts";
import { widgetFrames, type ErrorFrame } from "./frames.ts";
import type { ClientFrame } from "./model.ts";
import { askEmailNow, emailRepliesOn } from "./email-state.ts";
import { rateFrame } from "./rating-frame.ts";
import { admitClaims, originAllowed, type Admitted } from "./service.ts";
import { conversationOf, widgetSocketReads } from "./socket-reads.ts";
import { verifyVisitorToken, type VisitorClaims } from "./visitor-token.ts";
import { visitWriter } from "./visit-writer.ts";

/** What the server knows about one widget socket; it is the socket's ws.data (socket.ts), kept small: there may be tens of thousands. */
export interface WidgetSocketState {
  /** Set by auth; checked again before each send and handoff (see `admit`). */
  visitor: Admitted | null;
  /** The token's claims, verified once at auth: the HMAC is not checked again per message. */
  claims: VisitorClaims | null;
  conversationId: string | null;
  /** The newest seq read after subscribing: the resume right after the join replays no further (later ones are pushed); null after any other frame. */
  replayUpTo: number | null;
  ip: string | null;
  origin: string | null;
  authTimer: Timer | null;
  /** The last typing signal forwarded to agents said "on". */
  typingOn: boolean;
  /** Where the customer is (auth's page, the upgrade's User-Agent); `visitRecorded` once it is on their contact row. */
  visit: Visit;
  visitRecorded: boolean;
  /** Frames are handled one at a time, in order: a send must not overtake the auth before it (null while idle). */
  queue: Promise<void> | null;
  /** The customer had not written when this socket authenticated: their first ack may have to carry askEmail. */
  askPending: boolean;
}

/** The part of Bun's ServerWebSocket the widget socket uses. */
export interface WidgetWs {
  send(data: string): number;
  subscribe(topic: string): void;
  close(code?: number, reason?: string): void;
}

type FrameOf<T extends ClientFrame["type"]> = Extract<ClientFrame, { type: T }>;
type Handler<T extends ClientFrame["type"]> = (ws: WidgetWs, state: WidgetSocketState, frame: FrameOf<T>) => Promise<void> | void;

export function widgetSocketService(ctx: AppContext) {
  const ownOrigin = ctx.config.publicUrl.origin;
  const deps = conversationDeps(ctx), links = filesOf(ctx).links;
  const visits = visitWriter(ctx.database.db, ctx.log), reads = widgetSocketReads(ctx.database.db);

  /** A send Bun dropped (past the backpressure limit) must not go unnoticed: close, let the client resume. */
  function send(ws: WidgetWs, frame: string): boolean {
    if (ws.send(frame) !== 0) return true;
    ws.close(1013, "too far behind: reconnect and resume");
    return false;
  }
  const fail = (ws: WidgetWs, frame: ErrorFrame) => void send(ws, widgetFrames.error(frame));

  /** Refused: tells the client when to try again (a send's refusal names its clientId). */
  function limited(ws: WidgetWs, verdict: LimitVerdict, clientId?: string): boolean {
    if (verdict.ok) return false;
    const what = clientId === undefined ? "requests" : "messages";
    fail(ws, { code: "rate_limited", message: `Too many ${what}. Try again in ${verdict.retryAfter} s.`, retryAfter: verdict.retryAfter, clientId });
    return true;
  }

  const keysOf = (state: WidgetSocketState) => ({ contact: state.visitor!.contactId, ip: state.ip });

  /**
   * Subscribes to the conversation's customer topic (once) and returns how it looks now. The
   * subscription comes before the read, so a message committed in between is both counted in
   * lastSeq and pushed; the sweeper then watches for anything the bus loses after that point.
   */
  async function join(ws: WidgetWs, state: WidgetSocketState, conversationId: string) {
    const first = state.conversationId !== conversationId;
    if (first) {
      state.conversationId = conversationId;
      ws.subscribe(topics.conversation(conversationId));
    }
    const view = await reads.conversation(conversationId);
    state.replayUpTo = view?.lastSeq ?? 0;
    if (first) ctx.sweeper.watch(conversationId, view?.lastSeq ?? 0);
    return view;
  }

  /**
   * Joins a conversation that a send or handoff of this socket just started (or first met), whose
   * first pushes went out before the socket listened: a status frame naming it tells the client,
   * which then resumes from its own lastSeq. Nothing is replayed here, so each message reaches
   * the sender once (docs/widget-protocol.md, "One delivery per message").
   */
  async function joinStarted(ws: WidgetWs, state: WidgetSocketState, conversationId: string) {
    const view = await join(ws, state, conversationId);
    if (view) send(ws, widgetFrames.status({ status: view.status, queuePosition: view.queuePosition, agent: view.agent, conversation: view.id }));
  }

  /**
   * The visitor with the inbox as it is now, as the HTTP API reads it per request: at auth, and
   * again before each send and handoff, so an admin's change (greeting, FAQ, handoff mode) applies
   * from the next message on, and a socket that the inbox no longer admits (identity now required,
   * origin removed, token expired) is closed; the client then starts a new session and is told why.
   */
  async function admit(ws: WidgetWs, state: WidgetSocketState, claims: VisitorClaims | null): Promise<Admitted | null> {
    const earlier = state.visitor ?? undefined;
    const live = claims && claims.expiresAt > Date.now() ? claims : null;
    const visitor = live ? await admitClaims({ db: ctx.database.db, readContact: reads.contact }, live, earlier) : null;
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

  const auth: Handler<"auth"> = async (ws, state, frame) => {
    if (state.visitor) return fail(ws, { code: "bad_frame", message: "Already authenticated." });
    const claims = verifyVisitorToken(ctx.sessionSecret, frame.token);
    const visitor = await admit(ws, state, claims);
    if (!visitor) return;
    state.claims = claims;
    state.visit = { ...state.visit, page: pageUrl(frame.page, visitor.inbox) };
    ws.subscribe(topics.visitor(visitor.contactId));
    ws.subscribe(topics.widgets());
    // What does not depend on each other goes at once: a reconnect storm waits on thousands of these.
    const [recorded, found, agentsOnline] = await Promise.all([
      visits.record(visitor.contactId, state.visit),
      conversationOf(reads, visitor.inbox.id, visitor.contactId),
      ctx.onlineAgents.any(),
    ]);
    state.visitRecorded = recorded;
    // The contact's row is read only when the answer can be yes: email on, and they have written.
    const emailOn = emailRepliesOn(ctx.mailer !== null, visitor.inbox);
    const wrote = Boolean(found?.lastCustomerMessageAt);
    const [conversation, askEmail] = await Promise.all([
      found ? join(ws, state, found.id) : null,
      wrote && askEmailNow(ctx.database.db, ctx.mailer !== null, visitor.inbox, visitor.contactId),
    ]);
    state.askPending = emailOn && !wrote;
    send(ws, widgetFrames.ready(conversation, conversation?.lastSeq ?? 0, agentsOnline, askEmail));
  };

  /** Once per socket, after the customer's first message: whether the ack tells the widget to ask for an address. */
  async function askAfterFirstMessage(state: WidgetSocketState, visitor: Admitted): Promise<boolean> {
    if (!state.askPending) return false;
    state.askPending = false;
    return askEmailNow(ctx.database.db, ctx.mailer !== null, visitor.inbox, visitor.contactId);
  }

  const customerSends: Handler<"send"> = async (ws, state, frame) => {
    if (limited(ws, await ctx.limits.take("message", keysOf(state)), frame.clientId)) return;
    const visitor = await admit(ws, state, state.claims);
    if (!visitor) return;
    try {
      const admitNew = () => ctx.limits.take("conversation", keysOf(state));
      const input = { inbox: visitor.inbox, contactId: visitor.contactId, locale: visitor.locale, clientId: frame.clientId, body: frame.body, files: frame.files, maxFiles: ctx.config.attachments.maxFiles, admitNew };
      const { message, conversation } = await conversations.customerSends(deps, input);
      if (state.conversationId !== conversation.id) await joinStarted(ws, state, conversation.id);
      send(ws, widgetFrames.ack(frame.clientId, message, links, await askAfterFirstMessage(state, visitor)));
      // A new visitor's contact row exists from their first message on: now it can say where they are.
      if (!state.visitRecorded) state.visitRecorded = await visits.record(visitor.contactId, state.visit);
    } catch (err) {
      if (err instanceof MessageRejected) return fail(ws, { code: err.code, message: err.message, clientId: frame.clientId });
      if (err instanceof ConversationLimited) return void limited(ws, { ok: false, retryAfter: err.retryAfter }, frame.clientId);
      // Not stored, so no ack: the client keeps the message in its outbox and sends it again.
      ctx.log.error("widget message failed", { error: errorMessage(err) });
      fail(ws, { code: "server_error", message: "The message was not saved; it will be sent again.", clientId: frame.clientId });
    }
  };

  // Typing and read frames past their limit are dropped without an error frame: they are hints the
  // customer never sees fail, and the next one (a newer read seq) says the same or more.
  const typing: Handler<"typing"> = async (_ws, state, frame) => {
    if (!state.conversationId) return;
    const allowed = (await ctx.limits.take("typing", keysOf(state))).ok;
    // A "stopped typing" that ends what this socket started always goes through, so agents are not
    // left with a typing indicator; it cannot be flooded, as each needs an allowed "on" before it.
    if (!allowed && (frame.on || !state.typingOn)) return;
    state.typingOn = frame.on;
    return conversations.customerTyping(deps, state.conversationId, frame.on);
  };

  const read: Handler<"read"> = async (_ws, state, frame) => {
    if (!state.conversationId || !(await ctx.limits.take("read", keysOf(state))).ok) return;
    await conversations.customerRead(deps, state.conversationId, frame.seq);
  };

  /** The one replay: everything after the client's lastSeq (joining first when another tab started the conversation), up to replayUpTo. */
  const resume: Handler<"resume"> = async (ws, state, frame) => {
    if (limited(ws, await ctx.limits.take("history", keysOf(state)))) return;
    if (!state.conversationId) {
      const found = await conversationOf(reads, state.visitor!.inbox.id, state.visitor!.contactId);
      if (!found) return;
      await join(ws, state, found.id);
    }
    const upTo = state.replayUpTo ?? Infinity;
    state.replayUpTo = null;
    await replay(ctx.database.db, state.conversationId!, frame.lastSeq, (page) => page.every((m) => send(ws, widgetFrames.message(m, links))), upTo);
  };

  const handoff: Handler<"handoff"> = async (ws, state) => {
    if (limited(ws, await ctx.limits.take("handoff", keysOf(state)))) return;
    const visitor = await admit(ws, state, state.claims);
    if (!visitor) return;
    let conversation;
    try {
      conversation = await conversations.customerAsksForHuman(deps, { ...visitor, admitNew: () => ctx.limits.take("conversation", keysOf(state)) });
    } catch (err) {
      if (err instanceof ConversationLimited) return void limited(ws, { ok: false, retryAfter: err.retryAfter });
      throw err;
    }
    // Joined already: the status frame arrives through the topic.
    if (state.conversationId !== conversation.id) await joinStarted(ws, state, conversation.id);
  };

  return {
    auth,
    send: customerSends,
    typing,
    read,
    resume,
    handoff,
    rate: rateFrame({ ctx, deps, send, fail, limited, keysOf, admit }),
    fail,
    /** The socket closed: stop watching its conversation, and end the typing it started. */
    closed(state: WidgetSocketState) {
      clearTimeout(state.authTimer!);
      if (!state.conversationId) return;
      ctx.sweeper.unwatch(state.conversationId);
      if (state.typingOn) void conversations.customerTyping(deps, state.conversationId, false).catch(() => {});
    },
  };
}
