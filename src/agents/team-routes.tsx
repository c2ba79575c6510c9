import { Elysia } from "elysia";
import { inviteDeps, type AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { isUuid } from "../conversations/model.ts";
import { idParams, noticeFrom } from "../http/params.ts";
import { inviteForm, parseInvite } from "../invites/model.ts";
import * as invites from "../invites/service.ts";
import { AgentsPage, type AgentsPageProps } from "../../views/settings/agents-page.tsx";
import { ResetLinkPage } from "../../views/settings/reset-link-page.tsx";
import { adminResetLink } from "../auth/password-reset.ts";
import { AgentRefused, deactivateAgent, listAgents, reactivateAgent, type Agent, type TeamDeps } from "./service.ts";

/** Fixed confirmations after a redirect (post/redirect/get): the query names one, never carries text. */
const NOTICES = {
  deactivated: "The agent was deactivated and signed out everywhere.",
  reactivated: "The agent was reactivated and can sign in again.",
  revoked: "The invite was revoked; its link no longer works.",
} as const;

/** /settings/agents, for admins (`adminOnly`: a 403 page for agents): the team and its invites. */
export function teamRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const db = ctx.database.db;
  const team: TeamDeps = { db, bus: ctx.bus, log: ctx.log };

  async function agentsPage(me: Agent, extra: Omit<AgentsPageProps, "me" | "agents" | "invites"> = {}) {
    const [all, pending] = await Promise.all([listAgents(db), invites.listPendingInvites(inviteDeps(ctx))]);
    return <AgentsPage me={me} agents={all} invites={pending} {...extra} />;
  }

  /**
   * Deactivate or reactivate: a refusal is shown on the team page (404 for an unknown agent, 409
   * otherwise), success redirects to its confirmation.
   */
  async function changeAgent(
    me: Agent,
    id: string,
    change: typeof deactivateAgent,
    done: keyof typeof NOTICES,
    set: { status?: number | string },
    redirect: (url: string, status: 303) => Response,
  ) {
    try {
      if (!isUuid(id)) throw new AgentRefused("not_found", "This agent does not exist.");
      await change(team, me, id);
    } catch (err) {
      if (!(err instanceof AgentRefused)) throw err;
      set.status = err.status;
      return agentsPage(me, { message: err.message });
    }
    return redirect(`/settings/agents?done=${done}`, 303);
  }

  return new Elysia({ name: "team", prefix: "/settings/agents" })
    .use(session)
    .guard({ adminOnly: true })
    .get("", async ({ agent, query }) => agentsPage(agent, { notice: noticeFrom(NOTICES, query.done) }))
    .post(
      "/invites",
      async ({ agent, body, set }) => {
        const parsed = parseInvite(body);
        if (!parsed.ok) {
          set.status = 422;
          return agentsPage(agent, { form: { values: body, errors: parsed.errors } });
        }
        try {
          const created = await invites.createInvite(inviteDeps(ctx), agent, parsed.value);
          // The link is in this one response only (no redirect: it must not land in a URL or a log).
          set.headers["cache-control"] = "no-store";
          return agentsPage(agent, {
            created: {
              email: created.invite.email,
              link: created.link,
              emailed: created.emailed,
              sendError: created.sendError,
            },
          });
        } catch (err) {
          if (!(err instanceof invites.InviteRefused)) throw err;
          set.status = err.status;
          return agentsPage(agent, { form: { values: body, errors: { email: err.message } } });
        }
      },
      { body: inviteForm },
    )
    .post(
      "/invites/:id/revoke",
      async ({ agent, params, redirect }) => {
        if (isUuid(params.id)) await invites.revokeInvite(inviteDeps(ctx), agent, params.id);
        // Revoked just now or before (another admin, a double click): the outcome is the same.
        return redirect("/settings/agents?done=revoked", 303);
      },
      { params: idParams },
    )
    .post("/:id/deactivate", ({ agent, params, set, redirect }) => changeAgent(agent, params.id, deactivateAgent, "deactivated", set, redirect), {
      params: idParams,
    })
    .post(
      "/:id/reset-password",
      async ({ agent, params, set }) => {
        try {
          if (!isUuid(params.id)) throw new AgentRefused("not_found", "This agent does not exist.");
          const made = await adminResetLink({ db, log: ctx.log, publicUrl: ctx.config.publicUrl }, agent, params.id);
          // The link is in this one response only, like an invite's.
          set.headers["cache-control"] = "no-store";
          return <ResetLinkPage me={agent} agent={made.agent} link={made.link} lifetime="24 hours" />;
        } catch (err) {
          if (!(err instanceof AgentRefused)) throw err;
          set.status = err.status;
          return agentsPage(agent, { message: err.message });
        }
      },
      { params: idParams },
    )
    .post("/:id/reactivate", ({ agent, params, set, redirect }) => changeAgent(agent, params.id, reactivateAgent, "reactivated", set, redirect), {
      params: idParams,
    });
}
