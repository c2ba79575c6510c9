import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import { agentForSession, sessionForToken, SESSION_LIFETIME_MS, type Agent, type AgentSession } from "../agents/service.ts";
import { ForbiddenPage } from "../../views/agents/forbidden-page.tsx";

export const SESSION_COOKIE = "sd_session";

export function sessionCookie(ctx: AppContext, token: string) {
  return {
    value: token,
    httpOnly: true,
    sameSite: "lax" as const,
    secure: ctx.config.publicUrl.protocol === "https:",
    path: "/",
    maxAge: Math.floor(SESSION_LIFETIME_MS / 1000),
  };
}

export async function agentFromCookie(ctx: AppContext, token: unknown): Promise<Agent | null> {
  if (typeof token !== "string" || !token) return null;
  return agentForSession(ctx.database.db, ctx.sessionSecret, token);
}

/** The live session behind a cookie (the inbox socket binds itself to it), or null. */
export async function sessionFromCookie(ctx: AppContext, token: unknown): Promise<AgentSession | null> {
  if (typeof token !== "string" || !token) return null;
  return sessionForToken(ctx.database.db, ctx.sessionSecret, token);
}

/**
 * `signedIn: true` on a route resolves `agent`, or sends the browser to /login and back again.
 * `adminOnly: true` does the same and answers 403 to an agent who is not an admin.
 */
export function agentSession(ctx: AppContext) {
  /** The agent, or null after pointing the browser at /login and back here. */
  async function agentOrSignIn(cookie: Record<string, { value?: unknown } | undefined>, request: Request, set: { headers: Record<string, unknown> }) {
    const agent = await agentFromCookie(ctx, cookie[SESSION_COOKIE]?.value);
    if (!agent) {
      const url = new URL(request.url);
      set.headers.location = `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
    }
    return agent;
  }
  return new Elysia().macro({
    signedIn: {
      async resolve({ cookie, request, set, status }) {
        const agent = await agentOrSignIn(cookie, request, set);
        if (!agent) return status(303, "Sign in first");
        return { agent };
      },
    },
    adminOnly: {
      async resolve({ cookie, request, set, status }) {
        const agent = await agentOrSignIn(cookie, request, set);
        if (!agent) return status(303, "Sign in first");
        if (agent.role !== "admin") {
          set.headers["content-type"] = "text/html; charset=utf-8";
          return status(403, await ForbiddenPage({ agent }));
        }
        return { agent };
      },
    },
  });
}
