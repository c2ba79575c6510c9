import { Elysia } from "elysia";
import { conversationDeps, widgetDeps, type AppContext } from "../app-context.ts";
import * as conversations from "../conversations/service.ts";
import { clientIp } from "../http/client-ip.ts";
import { toWire } from "../messages/model.ts";
import { filesOf } from "../files/files-of.ts";
import { messagesAfter } from "../messages/service.ts";
import { AwayBody, MessagesQuery, PostMessageBody, SessionBody } from "./model.ts";
import { askEmailNow } from "./email-state.ts";
import { widgetGuards } from "./route-guards.ts";
import { startSession, WidgetRefused, widgetConversation, type Visitor } from "./service.ts";
import { isEmailAddress } from "../http/email-address.ts";
import { RatingBody } from "../satisfaction/model.ts";
import { customerRates } from "../satisfaction/service.tsx";

/** The only routes that answer cross-origin requests. */
export const WIDGET_API_PREFIX = "/api/v1/widget";

/**
 * The widget's HTTP API: the session, and the same verbs as the socket for networks that block
 * WebSockets. Authenticated by the visitor token in `Authorization: Bearer`, never by a cookie,
 * so cross-origin calls (CORS) carry no ambient authority.
 */
export function widgetRoutes(ctx: AppContext) {
  const ownOrigin = ctx.config.publicUrl.origin;
  const { visitorOf, tooMany } = widgetGuards(ctx);
  const links = filesOf(ctx).links;

  /** Starting or reopening a conversation also takes from the new-conversation budget. */
  const admitNew = (visitor: Visitor, ip: string | null) => () => ctx.limits.take("conversation", { contact: visitor.contactId, ip });

  return new Elysia({ prefix: WIDGET_API_PREFIX })
    .onRequest(({ request, set }) => {
      // onRequest runs before routing, for every request of the app: only the widget API answers
      // CORS. It carries no cookie (the token is a header), so any page may read what it answers;
      // the inbox's allowed origins are checked per request (checkOrigin).
      const origin = request.headers.get("origin");
      if (origin && new URL(request.url).pathname.startsWith(`${WIDGET_API_PREFIX}/`)) {
        set.headers["access-control-allow-origin"] = origin;
        set.headers["vary"] = "Origin";
      }
    })
    .options("/*", ({ set }) => {
      set.headers["access-control-allow-methods"] = "GET, POST";
      set.headers["access-control-allow-headers"] = "content-type, authorization";
      set.headers["access-control-max-age"] = "600";
      set.status = 204;
      return "";
    })
    .post(
      "/session",
      async ({ body, request, server, set }) => {
        const ip = clientIp(request, server, ctx.config.trustProxy);
        const limited = tooMany(set, await ctx.limits.take("session", { ip }));
        if (limited) return limited;
        return startSession(widgetDeps(ctx), body, { origin: request.headers.get("origin"), ownOrigin, userAgent: request.headers.get("user-agent") });
      },
      { body: SessionBody },
    )
    .get(
      "/messages",
      async ({ query, request, server, set }) => {
        const visitor = await visitorOf(request);
        const ip = clientIp(request, server, ctx.config.trustProxy);
        // One budget with the socket's `resume`: both replay messages from the database.
        const limited = tooMany(set, await ctx.limits.take("history", { contact: visitor.contactId, ip }));
        if (limited) return limited;
        const found = await conversations.findByContact(ctx.database.db, visitor.inbox.id, visitor.contactId);
        if (!found) return { conversation: null, messages: [], lastSeq: 0 };
        const [conversation, messages] = await Promise.all([
          widgetConversation(ctx.database.db, found.id),
          messagesAfter(ctx.database.db, found.id, query.after ?? 0),
        ]);
        return { conversation, messages: messages.map((m) => toWire(m, links)), lastSeq: conversation?.lastSeq ?? 0 };
      },
      { query: MessagesQuery },
    )
    .post(
      "/messages",
      async ({ body, request, server, set }) => {
        const visitor = await visitorOf(request);
        const ip = clientIp(request, server, ctx.config.trustProxy);
        const limited = tooMany(set, await ctx.limits.take("message", { contact: visitor.contactId, ip }));
        if (limited) return limited;
        const { message, created } = await conversations.customerSends(conversationDeps(ctx), {
          inbox: visitor.inbox,
          contactId: visitor.contactId,
          locale: visitor.locale,
          admitNew: admitNew(visitor, ip),
          clientId: body.clientId,
          body: body.body,
          files: body.files,
          maxFiles: ctx.config.attachments.maxFiles,
        });
        set.status = created ? 201 : 200;
        // As the socket's ack: true once the customer has written and may be asked for an address.
        const askEmail = await askEmailNow(ctx.database.db, ctx.mailer !== null, visitor.inbox, visitor.contactId);
        return { message: toWire(message, links), ...(askEmail ? { askEmail } : {}) };
      },
      { body: PostMessageBody },
    )
    .post("/handoff", async ({ request, server, set }) => {
      const visitor = await visitorOf(request);
      const ip = clientIp(request, server, ctx.config.trustProxy);
      const limited = tooMany(set, await ctx.limits.take("handoff", { contact: visitor.contactId, ip }));
      if (limited) return limited;
      const conversation = await conversations.customerAsksForHuman(conversationDeps(ctx), { ...visitor, admitNew: admitNew(visitor, ip) });
      return { conversation: await widgetConversation(ctx.database.db, conversation.id) };
    })
    .post(
      "/away",
      async ({ body, request, server, set }) => {
        const visitor = await visitorOf(request);
        const email = body.email.trim();
        if (!isEmailAddress(email, 320)) throw new WidgetRefused(400, "bad_email", "That does not look like an email address.");
        const ip = clientIp(request, server, ctx.config.trustProxy);
        // The same request as a handoff, with an address: one budget for both.
        const limited = tooMany(set, await ctx.limits.take("handoff", { contact: visitor.contactId, ip }));
        if (limited) return limited;
        const conversation = await conversations.customerAsksForHuman(conversationDeps(ctx), {
          ...visitor,
          admitNew: admitNew(visitor, ip),
          awayEmail: email,
        });
        return { conversation: await widgetConversation(ctx.database.db, conversation.id), contact: { email } };
      },
      { body: AwayBody },
    )
    .post(
      "/rating",
      async ({ body, request, server, set }) => {
        const visitor = await visitorOf(request);
        const ip = clientIp(request, server, ctx.config.trustProxy);
        // The socket's `rate` frame takes from the same budget (src/widget/rating-frame.ts).
        const limited = tooMany(set, await ctx.limits.take("handoff", { contact: visitor.contactId, ip }));
        if (limited) return limited;
        const event = await customerRates(conversationDeps(ctx), { inboxId: visitor.inbox.id, contactId: visitor.contactId }, body);
        set.status = 201;
        return { rating: event.rating };
      },
      { body: RatingBody },
    );
}
