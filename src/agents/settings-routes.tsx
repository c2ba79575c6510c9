import { Elysia } from "elysia";
import { inviteDeps, type AppContext } from "../app-context.ts";
import { agentSession, SESSION_COOKIE } from "../auth/agent-session.ts";
import { isUuid } from "../conversations/model.ts";
import { idParams, noticeFrom } from "../http/params.ts";
import { inviteForm, parseInvite } from "../invites/model.ts";
import * as invites from "../invites/service.ts";
import { AgentsPage, type AgentsPageProps } from "../../views/settings/agents-page.tsx";
import { ProfilePage, type ProfilePageProps } from "../../views/settings/profile-page.tsx";
import { notificationsForm, passwordForm, profileNameForm } from "./model.ts";
import {
  AgentRefused,
  changePassword,
  deactivateAgent,
  listAgents,
  notificationsOf,
  reactivateAgent,
  renameAgent,
  setNotificationPrefs,
  type Agent,
  type TeamDeps,
} from "./service.ts";

/** Fixed confirmations after a redirect (post/redirect/get): the query names one, never carries text. */
const AGENT_NOTICES = {
  deactivated: "The agent was deactivated and signed out everywhere.",
  reactivated: "The agent was reactivated and can sign in again.",
  revoked: "The invite was revoked; its link no longer works.",
} as const;

const PROFILE_NOTICES = {
  name: "Your name was saved.",
  password: "Your password was changed. Every other session of yours was signed out.",
  notifications: "Your notification choices were saved.",
} as const;

/** /settings/agents (admins: the team and invites) and /settings/profile (everyone: their own account). */
export function settingsRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const team: TeamDeps = { db, bus: ctx.bus, log: ctx.log };

  async function agentsPage(me: Agent, extra: Omit<AgentsPageProps, "me" | "agents" | "invites"> = {}) {
    const [all, pending] = await Promise.all([listAgents(db), invites.listPendingInvites(inviteDeps(ctx))]);
    return <AgentsPage me={me} agents={all} invites={pending} {...extra} />;
  }

  function profilePage(me: Agent, extra: Omit<ProfilePageProps, "me" | "notifications"> = {}) {
    return <ProfilePage me={me} notifications={notificationsOf(me)} {...extra} />;
  }

  /**
   * Deactivate or reactivate: a refusal is shown on the team page (404 for an unknown agent, 409
   * otherwise), success redirects to its confirmation.
   */
  async function changeAgent(
    me: Agent,
    id: string,
    change: typeof deactivateAgent,
    done: keyof typeof AGENT_NOTICES,
    set: { status?: number | string },
    redirect: (url: string, status: 303) => Response,
  ) {
    try {
      if (!isUuid(id)) throw new AgentRefused("not_found", "This agent does not exist.");
      await change(team, me, id);
    } catch (err) {
      if (!(err instanceof AgentRefused)) throw err;
      set.status = err.code === "not_found" ? 404 : 409;
      return agentsPage(me, { message: err.message });
    }
    return redirect(`/settings/agents?done=${done}`, 303);
  }

  return new Elysia()
    .use(agentSession(ctx))
    // --- the team (admins only) ---
    .get("/settings/agents", async ({ agent, query }) => agentsPage(agent, { notice: noticeFrom(AGENT_NOTICES, query.done) }), {
      adminOnly: true,
    })
    .post(
      "/settings/agents/invites",
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
          set.status = 422;
          return agentsPage(agent, { form: { values: body, errors: { email: err.message } } });
        }
      },
      { adminOnly: true, body: inviteForm },
    )
    .post(
      "/settings/agents/invites/:id/revoke",
      async ({ agent, params, redirect }) => {
        if (isUuid(params.id)) await invites.revokeInvite(inviteDeps(ctx), agent, params.id);
        // Revoked just now or before (another admin, a double click): the outcome is the same.
        return redirect("/settings/agents?done=revoked", 303);
      },
      { adminOnly: true, params: idParams },
    )
    .post(
      "/settings/agents/:id/deactivate",
      ({ agent, params, set, redirect }) => changeAgent(agent, params.id, deactivateAgent, "deactivated", set, redirect),
      { adminOnly: true, params: idParams },
    )
    .post(
      "/settings/agents/:id/reactivate",
      ({ agent, params, set, redirect }) => changeAgent(agent, params.id, reactivateAgent, "reactivated", set, redirect),
      { adminOnly: true, params: idParams },
    )
    // --- one's own profile (everyone) ---
    .get("/settings/profile", async ({ agent, query }) => profilePage(agent, { notice: noticeFrom(PROFILE_NOTICES, query.done) }), {
      signedIn: true,
    })
    .post(
      "/settings/profile/name",
      async ({ agent, body, set, redirect }) => {
        const result = await renameAgent(db, agent, body.name ?? "");
        if (!result.ok) {
          set.status = 422;
          return profilePage(agent, { nameValue: body.name, errors: { name: result.error } });
        }
        return redirect("/settings/profile?done=name", 303);
      },
      { signedIn: true, body: profileNameForm },
    )
    .post(
      "/settings/profile/password",
      async ({ agent, body, cookie, set, redirect }) => {
        const token = cookie[SESSION_COOKIE]?.value as string;
        const result = await changePassword({ db, bus: ctx.bus }, ctx.sessionSecret, agent, token, {
          current: body.current ?? "",
          password: body.password ?? "",
        });
        if (!result.ok) {
          set.status = 422;
          return profilePage(agent, { errors: result.errors });
        }
        ctx.log.info("password changed", { agent: agent.id });
        return redirect("/settings/profile?done=password", 303);
      },
      { signedIn: true, body: passwordForm },
    )
    .post(
      "/settings/profile/notifications",
      async ({ agent, body, headers, set, redirect }) => {
        await setNotificationPrefs(db, agent.id, { sound: body.sound === "on", desktop: body.desktop === "on" });
        // The inbox's checkboxes save through a script (public/inbox.js), which needs no page back.
        if (headers["hx-request"] === "true") {
          set.status = 204;
          return "";
        }
        return redirect("/settings/profile?done=notifications", 303);
      },
      { signedIn: true, body: notificationsForm },
    );
}
