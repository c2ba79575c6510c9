import { Elysia, t } from "elysia";
import type { AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { noticeFrom } from "../http/params.ts";
import { AccountPage, type AccountPageProps } from "../../views/settings/account-page.tsx";
import { accountForm, knownTimeZones, localeForm, queueAlertForm } from "./model.ts";
import * as service from "./service.ts";

const NOTICES = {
  saved: "Saved. Analytics counts days in the new time zone from now on.",
  "queue-alert": "Saved. The queue alert applies to customers who join the queue from now on.",
  locale: "Saved. Dates are written in the new language and region from now on.",
} as const;

const AccountQuery = t.Object({ done: t.Optional(t.String({ maxLength: 20 })) });

/** What came back refused: the form's typed value and why, for one of the page's forms. */
type Typed = { value: string; error: string };

/**
 * /settings/account, for admins (`adminOnly`: a 403 page for agents). The posts also pass the
 * same-origin guard (app.ts); a refused value comes back with what was typed and why (422).
 */
export function accountRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const db = ctx.database.db;
  /** The page as saved, with at most one form's refused value in place of the saved one. */
  async function page(me: AccountPageProps["me"], refused: { zone?: Typed; alert?: Typed; locale?: Typed; notice?: string } = {}) {
    return (
      <AccountPage
        me={me}
        current={await service.accountTimeZone(db, ctx.config.timeZone)}
        zones={knownTimeZones()}
        value={refused.zone?.value}
        error={refused.zone?.error}
        notice={refused.notice}
        queueAlert={{ minutes: await service.queueAlertMinutes(db), emailOff: !ctx.mailer, ...refused.alert }}
        dateLocale={{ locale: await service.dateLocale(db), ...refused.locale }}
      />
    );
  }
  return new Elysia({ name: "account", prefix: "/settings/account" })
    .use(session)
    .guard({ adminOnly: true })
    .get("", async ({ agent, query }) => page(agent, { notice: noticeFrom(NOTICES, query.done) }), { query: AccountQuery })
    .post(
      "",
      async ({ agent, body, set, redirect }) => {
        const saved = await service.saveTimeZone(db, body.timeZone);
        if (!saved.ok) {
          set.status = 422;
          return page(agent, { zone: { value: body.timeZone ?? "", error: saved.error } });
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
          return page(agent, { alert: { value: body.minutes ?? "", error: saved.error } });
        }
        ctx.log.info("queue alert saved", { minutes: saved.minutes, by: agent.id });
        return redirect("/settings/account?done=queue-alert", 303);
      },
      { body: queueAlertForm },
    )
    .post(
      "/locale",
      async ({ agent, body, set, redirect }) => {
        const saved = await service.saveDateLocale(db, body.locale, ctx.config.timeZone);
        if (!saved.ok) {
          set.status = 422;
          return page(agent, { locale: { value: body.locale ?? "", error: saved.error } });
        }
        ctx.log.info("date locale saved", { locale: saved.locale, by: agent.id });
        return redirect("/settings/account?done=locale", 303);
      },
      { body: localeForm },
    );
}
