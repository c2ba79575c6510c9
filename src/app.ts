import { contactRoutes } from "./contacts/routes.tsx";
import { html } from "@elysiajs/html";
import { staticPlugin } from "@elysiajs/static";
import { Elysia } from "elysia";
import { accountRoutes } from "./account/routes.tsx";
import { dateLocaleHook } from "./account/date-locale.ts";
import { agentRoutes } from "./agents/routes.tsx";
import { analyticsRoutes } from "./analytics/routes.tsx";
import { profileRoutes } from "./agents/profile-routes.tsx";
import { teamRoutes } from "./agents/team-routes.tsx";
import type { AppContext } from "./app-context.ts";
import { agentSession } from "./auth/agent-session.ts";
import { sameOriginGuard } from "./auth/same-origin.ts";
import { agentFileRoutes } from "./files/agent-file-routes.tsx";
import { filesOf } from "./files/files-of.ts";
import { sweepUnsentUploads } from "./files/retention.ts";
import { widgetFileRoutes } from "./files/widget-file-routes.ts";
import { conversationRoutes } from "./conversations/routes.tsx";
import { healthRoutes } from "./health/routes.ts";
import { metricsRoutes } from "./metrics/metrics-routes.ts";
import { inviteRoutes } from "./invites/routes.tsx";
import { onboardingRoutes } from "./onboarding/routes.tsx";
import { passwordResetRoutes } from "./auth/password-reset-routes.tsx";
import { jobsRoutes } from "./jobs/routes.tsx";
import { noteRoutes } from "./notes/routes.tsx";
import { labelRoutes } from "./labels/routes.ts";
import { snoozeRoutes } from "./snooze/snooze-routes.tsx";
import { collisionRoutes } from "./collision/collision-routes.tsx";
import { inboundEmailRoutes } from "./mail/inbound-routes.ts";
import { unsubscribeRoutes } from "./mail/unsubscribe-routes.tsx";
import { ratingLinkRoutes } from "./satisfaction/rating-link-routes.tsx";
import { savedReplyRoutes } from "./saved-replies/routes.tsx";
import { requestLog } from "./http/request-log.ts";
import { httpSpans } from "./tracing/http-spans.ts";
import { securityHeadersPlugin } from "./http/security-headers.ts";
import { PUBLIC_DIR } from "./paths.ts";
import { inboxSocket } from "./inbox/socket.tsx";
import { ticketRoutes } from "./tickets/routes.tsx";
import { embedRoutes } from "./widget/embed-routes.tsx";
import { inboxSettingsRoutes } from "./inboxes/settings-routes.tsx";
import { WIDGET_API_PREFIX, widgetRoutes } from "./widget/routes.ts";
import { widgetEmailRoutes } from "./widget/email-routes.ts";
import { chatLinkRoutes } from "./widget/chat-link-routes.tsx";
import { widgetSocket } from "./widget/socket.ts";
import { errorHandler } from "./http/error-handler.tsx";
import { textGuard } from "./http/text-guard.ts";
import { faviconRoutes } from "./favicon/routes.ts";

/** Bun keeps one WebSocket configuration per server, so these limits hold for every socket route. */
export const WEBSOCKET_LIMITS = {
  maxPayloadLength: 64 * 1024,
  idleTimeout: 60,
  sendPings: true,
  // A client that stops reading must not make the server buffer without bound: past 1 MiB the
  // socket is closed, and the client catches up from the database when it reconnects.
  backpressureLimit: 1024 * 1024,
  closeOnBackpressureLimit: true,
} as const;

/**
 * The whole HTTP surface. Tests call createApp(ctx).handle(request); boot.ts calls listen().
 *
 * Each domain is a named plugin with its prefix, built here for this app (it closes over `ctx`):
 * Elysia keeps one plugin per name and seed in an app, and knows nothing of other apps, so the
 * many apps a test process builds do not share one. The agents' session is one plugin, built once
 * and handed to every domain with signed-in routes.
 */
export function createApp(ctx: AppContext) {
  const session = agentSession(ctx);
  const files = filesOf(ctx);
  ctx.sweeper.useFileLinks(files.links);
  ctx.jobWorker.addHousekeeping((now) => sweepUnsentUploads({ db: ctx.database.db, store: files.store }, now));
  ctx.metrics.addScrapeGauges({ db: ctx.database.db, sockets: ctx.sockets, redisBus: ctx.config.redisUrl ? ctx.bus : null });
  return new Elysia({ websocket: WEBSOCKET_LIMITS })
    // Global hooks first: they reach only the routes registered after them.
    .use(securityHeadersPlugin(ctx.config.publicUrl))
    .use(errorHandler(ctx.log))
    .use(requestLog(ctx.log, ctx.metrics))
    .use(httpSpans())
    .use(textGuard())
    .use(html())
    .use(sameOriginGuard(ctx.config.publicUrl.origin))
    .use(assetRoutes())
    .use(healthRoutes(ctx))
    .use(metricsRoutes(ctx))
    .use(agentRoutes(ctx))
    .use(teamRoutes(ctx, session))
    .use(profileRoutes(ctx, session))
    .use(inviteRoutes(ctx))
    .use(conversationRoutes(ctx, session))
    .use(agentFileRoutes(ctx, session))
    .use(ticketRoutes(ctx, session))
    .use(inboxSocket(ctx))
    .use(widgetRoutes(ctx))
    .use(widgetFileRoutes(ctx))
    .use(widgetEmailRoutes(ctx, WIDGET_API_PREFIX))
    .use(embedRoutes(ctx))
    .use(chatLinkRoutes(ctx))
    .use(inboxSettingsRoutes(ctx, session))
    .use(analyticsRoutes(ctx, session))
    .use(accountRoutes(ctx, session))
    .use(jobsRoutes(ctx, session))
    .use(teamToolRoutes(ctx, session))
    .use(inboundEmailRoutes(ctx))
    .use(unsubscribeRoutes(ctx))
    .use(ratingLinkRoutes(ctx))
    .use(widgetSocket(ctx));
}

/** Files anyone may fetch: public/ and the app's icon (one plugin, for the reason below). */
function assetRoutes() {
  return new Elysia({ name: "assets" })
    .use(staticPlugin({ assets: PUBLIC_DIR, prefix: "/public", alwaysStatic: false }))
    .use(faviconRoutes());
}

/**
 * The team's everyday tools (issue 17) as one plugin: each further `.use` on the app itself makes
 * its type deeper, and TypeScript gives up past a point ("excessively deep").
 */
function teamToolRoutes(ctx: AppContext, session: ReturnType<typeof agentSession>) {
  return new Elysia({ name: "team-tools" })
    .use(savedReplyRoutes(ctx, session))
    .use(labelRoutes(ctx, session))
    .use(noteRoutes(ctx, session))
    .use(snoozeRoutes(ctx, session))
    .use(collisionRoutes(ctx, session))
    .use(contactRoutes(ctx, session))
    .use(firstRunRoutes(ctx, session))
    // Before routing, whatever the order: every page, fragment and push writes dates in the account's locale.
    .use(dateLocaleHook(ctx.database.db));
}

/** A new team's way in (issue 18): the empty inbox's checklist, "Forgot password?" and reset links. */
function firstRunRoutes(ctx: AppContext, session: ReturnType<typeof agentSession>) {
  return new Elysia({ name: "first-run" }).use(onboardingRoutes(ctx, session)).use(passwordResetRoutes(ctx));
}

export type App = ReturnType<typeof createApp>;
