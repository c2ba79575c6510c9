import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import { agentForSession, sessionForToken, SESSION_LIFETIME_MS, type Agent, type AgentSession } from "../agents/service.ts";
import { ForbiddenPage } from "../../views/agents/forbidden-page.tsx";
import { Refusal } from "../http/refusal.ts";

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

/** A signed-out browser is sent to sign in, and back to where it was going afterwards. */
export class SignInRequired extends Refusal {
  override name = "SignInRequired";
  constructor(request: Request) {
    super(303, "sign_in_required", "Sign in first.");
    const url = new URL(request.url);
    this.location = `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
  }
}

/** An agent on an admin's page: a page that says why, and where to go instead. */
export class AdminsOnly extends Refusal {
  override name = "AdminsOnly";
  constructor(agent: Agent) {
    super(403, "admins_only", "Only an admin can do this.");
    this.page = () => ForbiddenPage({ agent });
  }
}

/**
 * The agents' session, as one named plugin that createApp builds once per app (it holds the app's
 * context) and hands to every domain plugin with signed-in routes. A domain plugin uses it and
 * then guards what follows: `.use(session).guard({ signedIn: true })` resolves `agent`, or sends
 * the browser to /login and back again; `{ adminOnly: true }` does the same and answers 403 to an
 * agent who is not an admin. Both check in `transform`, before the body is validated: a
 * signed-out request learns nothing about a route, not even which fields it takes. `resolve`
 * then hands the agent found there to the handler.
 *
 * Elysia applies a named plugin once per app that uses it (by name and seed), and counts that per
 * app, not per process: every app (a test builds many) gets its own, with its own context.
 */
export function agentSession(ctx: AppContext) {
  const signedInAgents = new WeakMap<Request, Agent>();

  async function signedInAgent(cookie: Record<string, { value?: unknown } | undefined>, request: Request): Promise<Agent> {
    const agent = await agentFromCookie(ctx, cookie[SESSION_COOKIE]?.value);
    if (!agent) throw new SignInRequired(request);
    signedInAgents.set(request, agent);
    return agent;
  }
  const resolve = ({ request }: { request: Request }) => ({ agent: signedInAgents.get(request)! });

  return new Elysia({ name: "agentSession" }).macro({
    signedIn: {
      async transform({ cookie, request }) {
        await signedInAgent(cookie, request);
      },
      resolve,
    },
    adminOnly: {
      async transform({ cookie, request }) {
        const agent = await signedInAgent(cookie, request);
        if (agent.role !== "admin") throw new AdminsOnly(agent);
      },
      resolve,
    },
  });
}

/** The plugin agentSession builds: what domain plugins take to guard their routes. */
export type AgentSessionPlugin = ReturnType<typeof agentSession>;
