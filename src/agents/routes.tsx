import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import { agentFromCookie, SESSION_COOKIE, sessionCookie } from "../auth/agent-session.ts";
import { waitInWords } from "../auth/login-throttle.ts";
import { clientIp } from "../http/client-ip.ts";
import { LoginPage } from "../../views/agents/login-page.tsx";
import { SetupPage } from "../../views/agents/setup-page.tsx";
import { loginForm, parseNewAdmin, setupForm } from "./model.ts";
import { safeNextPath } from "../auth/next-path.ts";
import { createFirstAdmin, needsSetup, signIn, signOut, startSession } from "./service.ts";

/** First run, sign-in and sign-out. */
export function agentRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  return new Elysia({ name: "agents" })
    .get("/", async ({ cookie, redirect }) => {
      if (await needsSetup(db)) return redirect("/setup", 303);
      const agent = await agentFromCookie(ctx, cookie[SESSION_COOKIE]?.value);
      return redirect(agent ? "/inbox" : "/login", 303);
    })
    .get("/setup", async ({ redirect }) => {
      if (!(await needsSetup(db))) return redirect("/login", 303);
      return <SetupPage />;
    })
    .post(
      "/setup",
      async ({ body, cookie, headers, set, redirect }) => {
        const parsed = parseNewAdmin(body);
        if (!parsed.ok) {
          set.status = 422;
          return <SetupPage values={body} errors={parsed.errors} />;
        }
        const admin = await createFirstAdmin(db, parsed.value);
        // Someone finished setup a moment earlier: nothing was created, sign in instead.
        if (!admin) return redirect("/login", 303);
        ctx.log.info("first admin created", { agent: admin.id });
        // They just chose the password: signed in straight away, into the (empty) inbox.
        cookie[SESSION_COOKIE]!.set(sessionCookie(ctx, await startSession(db, ctx.sessionSecret, admin.id, headers["user-agent"] ?? null)));
        return redirect("/inbox", 303);
      },
      { body: setupForm },
    )
    .get("/login", async ({ query, cookie, redirect }) => {
      if (await needsSetup(db)) return redirect("/setup", 303);
      if (await agentFromCookie(ctx, cookie[SESSION_COOKIE]?.value)) return redirect(safeNextPath(query.next, ctx.config.publicUrl), 303);
      return <LoginPage next={query.next} />;
    })
    .post(
      "/login",
      async ({ body, cookie, headers, request, server, set, redirect }) => {
        const email = body.email?.trim() ?? "";
        let result: Awaited<ReturnType<typeof signIn>> = null;
        if (email && body.password) {
          // Counted before the password is checked, so parallel guesses cannot outrun the count.
          const ip = clientIp(request, server, ctx.config.trustProxy);
          const verdict = await ctx.loginThrottle.attempt(email, ip);
          if (!verdict.ok) {
            set.status = 429;
            set.headers["retry-after"] = String(verdict.retryAfter);
            ctx.log.warn("sign-in throttled", { ip, retryAfter: verdict.retryAfter });
            return (
              <LoginPage
                email={email}
                next={body.next}
                message={`Too many attempts. Try again in ${waitInWords(verdict.retryAfter)}.`}
              />
            );
          }
          result = await signIn(db, ctx.sessionSecret, { email, password: body.password, userAgent: headers["user-agent"] ?? null });
          if (result) await ctx.loginThrottle.succeeded(email, ip);
        }
        if (!result) {
          set.status = 401;
          return <LoginPage email={email} next={body.next} message="That email and password do not match an active account." />;
        }
        cookie[SESSION_COOKIE]!.set(sessionCookie(ctx, result.token));
        return redirect(safeNextPath(body.next, ctx.config.publicUrl), 303);
      },
      { body: loginForm },
    )
    .post("/logout", async ({ cookie, redirect }) => {
      const token = cookie[SESSION_COOKIE]?.value;
      if (typeof token === "string" && token) await signOut({ db, bus: ctx.bus }, ctx.sessionSecret, token);
      cookie[SESSION_COOKIE]?.remove();
      return redirect("/login", 303);
    });
}
