import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import { SESSION_COOKIE, type AgentSessionPlugin } from "../auth/agent-session.ts";
import { noticeFrom } from "../http/params.ts";
import { AvailabilityControl } from "../../views/agents/availability-control.tsx";
import { switchAvailability } from "../availability/service.ts";
import { NotificationPrefs } from "../../views/inbox/notification-prefs.tsx";
import { ProfilePage, type ProfilePageProps } from "../../views/settings/profile-page.tsx";
import { availabilityForm, emailNotificationsForm, notificationsForm, passwordForm, profileNameForm, themeForm } from "./model.ts";
import { changePassword, emailNotificationsOf, notificationsOf, renameAgent, setEmailNotificationPrefs, setNotificationPrefs, setTheme, type Agent } from "./service.ts";

/** Fixed confirmations after a redirect (post/redirect/get): the query names one, never carries text. */
const NOTICES = {
  name: "Your name was saved.",
  password: "Your password was changed. Every other session of yours was signed out.",
  notifications: "Your notification choices were saved.",
  email: "Your email choices were saved.",
  availability: "Your availability was saved.",
  theme: "Your appearance was saved.",
} as const;

/** /settings/profile, for every signed-in agent: their own name, password, look, notifications and emails. */
export function profileRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const db = ctx.database.db;

  function profilePage(me: Agent, extra: Omit<ProfilePageProps, "me" | "notifications" | "email"> = {}) {
    const email = { ...emailNotificationsOf(me), emailOff: !ctx.mailer };
    return <ProfilePage me={me} notifications={notificationsOf(me)} email={email} {...extra} />;
  }

  return new Elysia({ name: "profile", prefix: "/settings/profile" })
    .use(session)
    .guard({ signedIn: true })
    .get("", async ({ agent, query }) => profilePage(agent, { notice: noticeFrom(NOTICES, query.done) }))
    .post(
      "/name",
      async ({ agent, body, set, redirect }) => {
        const result = await renameAgent(db, agent, body.name ?? "");
        if (!result.ok) {
          set.status = 422;
          return profilePage(agent, { nameValue: body.name, errors: { name: result.error } });
        }
        return redirect("/settings/profile?done=name", 303);
      },
      { body: profileNameForm },
    )
    .post(
      "/password",
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
      { body: passwordForm },
    )
    .post(
      "/notifications",
      async ({ agent, body, headers, redirect }) => {
        const prefs = { sound: body.sound === "on", desktop: body.desktop === "on" };
        await setNotificationPrefs(db, agent.id, prefs);
        // The inbox's form (htmx, on every change) gets itself back with what was saved.
        if (headers["hx-request"] === "true") return <NotificationPrefs {...prefs} saved />;
        return redirect("/settings/profile?done=notifications", 303);
      },
      { body: notificationsForm },
    )
    .post(
      "/availability",
      async ({ agent, body, headers, redirect }) => {
        await switchAvailability(ctx, agent.id, body.availability);
        if (headers["hx-request"] === "true") return <AvailabilityControl availability={body.availability} />;
        return redirect("/settings/profile?done=availability", 303);
      },
      { body: availabilityForm },
    )
    .post(
      "/theme",
      async ({ agent, body, redirect }) => {
        await setTheme(db, agent.id, body.theme);
        return redirect("/settings/profile?done=theme", 303);
      },
      { body: themeForm },
    )
    .post(
      "/email",
      async ({ agent, body, redirect }) => {
        await setEmailNotificationPrefs(db, agent, { message: body.message === "on", queue: body.queue === "on" });
        return redirect("/settings/profile?done=email", 303);
      },
      { body: emailNotificationsForm },
    );
}
