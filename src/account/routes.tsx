import { Elysia, t } from "elysia";
import type { AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { noticeFrom } from "../http/params.ts";
import { AccountPage } from "../../views/settings/account-page.tsx";
import { accountForm, knownTimeZones } from "./model.ts";
import * as service from "./service.ts";

const NOTICES = { saved: "Saved. Analytics counts days in the new time zone from now on." } as const;

const AccountQuery = t.Object({ done: t.Optional(t.String({ maxLength: 20 })) });

/**
 * /settings/account, for admins (`adminOnly`: a 403 page for agents). The post also passes the
 * same-origin guard (app.ts); a refused zone comes back with what was typed and why (422).
 */
export function accountRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const db = ctx.database.db;
  const current = () => service.accountTimeZone(db, ctx.config.timeZone);
  return new Elysia({ name: "account", prefix: "/settings/account" })
    .use(session)
    .guard({ adminOnly: true })
    .get(
      "",
      async ({ agent, query }) => <AccountPage me={agent} current={await current()} zones={knownTimeZones()} notice={noticeFrom(NOTICES, query.done)} />,
      { query: AccountQuery },
    )
    .post(
      "",
      async ({ agent, body, set, redirect }) => {
        const saved = await service.saveTimeZone(db, body.timeZone);
        if (!saved.ok) {
          set.status = 422;
          return <AccountPage me={agent} current={await current()} zones={knownTimeZones()} value={body.timeZone ?? ""} error={saved.error} />;
        }
        ctx.log.info("account time zone saved", { timeZone: saved.timeZone, by: agent.id });
        return redirect("/settings/account?done=saved", 303);
      },
      { body: accountForm },
    );
}
