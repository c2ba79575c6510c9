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
type Refused = { zone?: Typed; alert?: Typed; locale?: Typed };

/**
 * /settings/account, for admins (`adminOnly`: a 403 page for agents). The posts also pass the
 * same-origin guard (app.ts); a refused value comes back with what was typed and why (422).
 */
export function accountRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const db = ctx.database.db;
  /** The page as saved, with at most one form's refused value in place of the saved one. */
  async function page(me: AccountPageProps["me"], refused: Refused & { notice?: string } = {}) {
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
  /** One form's post: saved, back to the page with its notice (303); refused, the page again with what was typed and why (422). */
  async function saveForm<Saved extends { ok: true }>(
    agent: AccountPageProps["me"] & { id: string },
    set: { status?: number | string },
    redirect: (url: string, status: 303) => Response,
    form: { save: () => Promise<Saved | { ok: false; error: string }>; refused: (error: string) => Refused; logged: (saved: Saved) => [string, Record<string, unknown>]; done: keyof typeof NOTICES },
  ) {
    const saved = await form.save();
    if (!saved.ok) {
      set.status = 422;
      return page(agent, form.refused(saved.error));
    }
    const [message, fields] = form.logged(saved);
    ctx.log.info(message, { ...fields, by: agent.id });
    return redirect(`/settings/account?done=${form.done}`, 303);
  }
  return new Elysia({ name: "account", prefix: "/settings/account" })
    .use(session)
    .guard({ adminOnly: true })
    .get("", async ({ agent, query }) => page(agent, { notice: noticeFrom(NOTICES, query.done) }), { query: AccountQuery })
    .post("", ({ agent, body, set, redirect }) => saveForm(agent, set, redirect, {
      save: () => service.saveTimeZone(db, body.timeZone),
      refused: (error) => ({ zone: { value: body.timeZone ?? "", error } }),
      logged: (saved) => ["account time zone saved", { timeZone: saved.timeZone }],
      done: "saved",
    }), { body: accountForm })
    .post("/queue-alert", ({ agent, body, set, redirect }) => saveForm(agent, set, redirect, {
      save: () => service.saveQueueAlert(db, body.minutes, ctx.config.timeZone),
      refused: (error) => ({ alert: { value: body.minutes ?? "", error } }),
      logged: (saved) => ["queue alert saved", { minutes: saved.minutes }],
      done: "queue-alert",
    }), { body: queueAlertForm })
    .post("/locale", ({ agent, body, set, redirect }) => saveForm(agent, set, redirect, {
      save: () => service.saveDateLocale(db, body.locale, ctx.config.timeZone),
      refused: (error) => ({ locale: { value: body.locale ?? "", error } }),
      logged: (saved) => ["date locale saved", { locale: saved.locale }],
      done: "locale",
    }), { body: localeForm });
}
