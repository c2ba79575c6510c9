import { Elysia, t } from "elysia";
import type { AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { noticeFrom } from "../http/params.ts";
import { AccountPage } from "../../views/settings/account-page.tsx";
import { accountForm, knownTimeZones, queueAlertForm } from "./model.ts";
import * as service from "./service.ts";

const NOTICES = {
  saved: "Saved. Analytics counts days in the new time zone from now on.",
  "queue-alert": "Saved. The queue alert applies to customers who join the queue from now on.",
} as const;

const AccountQuery = t.Object({ done: t.Optional(t.String({ maxLength: 20 })) });

/**
 * /settings/account, for admins (`adminOnly`: a 403 page for agents). The post also passes the
 * same-origin guard (app.ts); a refused zone comes back with what was typed and why (422).
 */
export function accountRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const db = ctx.database.db;
  const current = () => service.accountTimeZone(db, ctx.config.timeZone);
  const queueAlert = async (typed?: { value: string; error: string }) => ({
    minutes: await service.queueAlertMinutes(db),
    emailOff: !ctx.mailer,
    ...typed,
  });
  return new Elysia({ name: "account", prefix: "/settings/account" })
    .use(session)
    .guard({ adminOnly: true })
    .get(
      "",
      async ({ agent, query }) => (
        <AccountPage me={agent} current={await current()} zones={knownTimeZones()} notice={noticeFrom(NOTICES, query.done)} queueAlert={await queueAlert()} />
      ),
      { query: AccountQuery },
    )
    .post(
      "",
      async ({ agent, body, set, redirect }) => {
        const saved = await service.saveTimeZone(db, body.timeZone);
        if (!saved.ok) {
          set.status = 422;
          return (
            <AccountPage me={agent} current={await current()} zones={knownTimeZones()} value={body.timeZone ?? ""} error={saved.error} queueAlert={await queueAlert()} />
          );
        }
        ctx.log.info("account time zone saved", { timeZone: saved.timeZone, by: agent.id });
        return redirect("/settings/account?done=saved", 303);
      },
      { body: accountForm },
    )
    .post(
      "/queue-alert",
      async ({ agent, body, set, redirect }) => {
        const saved = await service.saveQueueAlert(db, body.minutes, ctx.config.timeZone);
        if (!saved.ok) {
          set.status = 422;
          return (
            <AccountPage me={agent} current={await current()} zones={knownTimeZones()} queueAlert={await queueAlert({ value: body.minutes ?? "", error: saved.error })} />
          );
        }
        ctx.log.info("queue alert saved", { minutes: saved.minutes, by: agent.id });
        return redirect("/settings/account?done=queue-alert", 303);
      },
      { body: queueAlertForm },
    );
}
