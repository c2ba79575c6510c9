import { Elysia, t } from "elysia";
import type { AppContext } from "../app-context.ts";
import { clientIp } from "../http/client-ip.ts";
import { ForgotPasswordPage } from "../../views/agents/forgot-password-page.tsx";
import { ResetLinkGonePage, ResetPasswordPage } from "../../views/agents/reset-password-page.tsx";
import { SESSION_COOKIE, sessionCookie } from "./agent-session.ts";
import { waitInWords } from "./login-throttle.ts";
import { requestResetEmail, resetLinkState, resetPassword, type ResetDeps } from "./password-reset.ts";

const forgotForm = t.Object({ email: t.Optional(t.String({ maxLength: 1000 })) });
const resetForm = t.Object({
  password: t.Optional(t.String({ maxLength: 4096 })),
  // The hidden username field for password managers; ignored.
  username: t.Optional(t.String({ maxLength: 1000 })),
});
const tokenParams = t.Object({ token: t.String({ maxLength: 200 }) });

export function resetDeps(ctx: AppContext): ResetDeps {
  return { db: ctx.database.db, bus: ctx.bus, log: ctx.log, mailer: ctx.mailer, publicUrl: ctx.config.publicUrl };
}

/** "Forgot password?" (/forgot-password) and the page a reset link opens (/reset-password/{token}). */
export function passwordResetRoutes(ctx: AppContext) {
  const emailConfigured = ctx.mailer !== null;
  const gone = (set: { status?: number | string }, status: 404 | 410) => {
    set.status = status;
    return <ResetLinkGonePage />;
  };
  return new Elysia({ name: "password-reset" })
    .onAfterHandle(({ set }) => {
      // The link's URL holds a secret: keep it out of other sites' Referer headers and shared caches
      // (as invites do; "same-origin" rather than "no-referrer", which would make the POST's Origin null).
      set.headers["referrer-policy"] = "same-origin";
      set.headers["cache-control"] = "no-store";
    })
    .get("/forgot-password", () => <ForgotPasswordPage emailConfigured={emailConfigured} />)
    .post(
      "/forgot-password",
      async ({ body, request, server, set }) => {
        const email = body.email?.trim() ?? "";
        if (!emailConfigured || !email) return <ForgotPasswordPage emailConfigured={emailConfigured} message={email ? undefined : "Enter your email address."} />;
        // Counted like sign-in attempts, in the same budget: both are ways into an account.
        const ip = clientIp(request, server, ctx.config.trustProxy);
        const verdict = await ctx.loginThrottle.attempt(email, ip);
        if (!verdict.ok) {
          set.status = 429;
          set.headers["retry-after"] = String(verdict.retryAfter);
          return <ForgotPasswordPage emailConfigured email={email} message={`Too many attempts. Try again in ${waitInWords(verdict.retryAfter)}.`} />;
        }
        // The link is made and emailed after the answer: same page, same time, known address or not.
        void requestResetEmail(resetDeps(ctx), email).catch((err: unknown) => ctx.log.error("password reset request failed", { error: String(err) }));
        return <ForgotPasswordPage emailConfigured requested />;
      },
      { body: forgotForm },
    )
    .get(
      "/reset-password/:token",
      async ({ params, set }) => {
        const link = await resetLinkState(resetDeps(ctx), params.token);
        if (link.state !== "open") return gone(set, link.state === "gone" ? 410 : 404);
        return <ResetPasswordPage action={`/reset-password/${params.token}`} email={link.agent.email} />;
      },
      { params: tokenParams },
    )
    .post(
      "/reset-password/:token",
      async ({ params, body, headers, cookie, set, redirect }) => {
        const link = await resetLinkState(resetDeps(ctx), params.token);
        if (link.state !== "open") return gone(set, link.state === "gone" ? 410 : 404);
        const outcome = await resetPassword(resetDeps(ctx), ctx.sessionSecret, params.token, body.password ?? "", headers["user-agent"] ?? null);
        if (outcome.ok) {
          cookie[SESSION_COOKIE]!.set(sessionCookie(ctx, outcome.sessionToken));
          return redirect("/inbox", 303);
        }
        // Used a moment ago (another tab, a double click).
        if ("reason" in outcome) return gone(set, 410);
        set.status = 422;
        return <ResetPasswordPage action={`/reset-password/${params.token}`} email={link.agent.email} error={outcome.error} />;
      },
      { params: tokenParams, body: resetForm },
    );
}
