import { Elysia, t } from "elysia";
import { conversationDeps, type AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { idParams, noticeFrom } from "../http/params.ts";
import { LabelsPage, type LabelsPageProps } from "../../views/settings/labels-page.tsx";
import { labelForm } from "./model.ts";
import * as service from "./service.ts";

/** Confirmations after a change went through (post/redirect/get), by the `done` query parameter. */
const NOTICES = {
  created: "Label created. Agents can put it on conversations now.",
  saved: "Label saved.",
  deleted: "Label deleted, and taken off every conversation that had it.",
} as const;

const GONE = "This label does not exist any more: someone may have deleted it. Nothing was saved.";

type Me = LabelsPageProps["me"];

/**
 * /settings/labels: every signed-in agent sees the labels; creating, changing and deleting them
 * takes an admin (`adminOnly`: a 403 page for agents). Posts also pass the same-origin guard
 * (app.ts). A refused form comes back with what was typed and why (422); an unknown label is 404.
 */
export function labelSettingsRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const deps = conversationDeps(ctx);
  const page = async (me: Me, extra: Omit<LabelsPageProps, "me" | "labels"> = {}) => (
    <LabelsPage me={me} labels={await service.listLabelsWithUse(ctx.database.db)} {...extra} />
  );

  return new Elysia({ name: "label-settings", prefix: "/settings/labels" })
    .use(session)
    .guard({ signedIn: true }, (everyAgent) =>
      everyAgent.get("", async ({ agent, query }) => page(agent, { notice: noticeFrom(NOTICES, query.done) }), {
        query: t.Object({ done: t.Optional(t.String({ maxLength: 20 })) }),
      }),
    )
    .guard({ adminOnly: true })
    .post(
      "",
      async ({ agent, body, set, redirect }) => {
        const saved = await service.createLabel(deps, body);
        if (saved.ok) {
          ctx.log.info("label created", { label: saved.label.id, by: agent.id });
          return redirect("/settings/labels?done=created", 303);
        }
        set.status = 422;
        return page(agent, saved.notFound ? { message: GONE } : { create: { values: saved.values, errors: saved.errors } });
      },
      { body: labelForm },
    )
    .post(
      "/:id",
      async ({ agent, params, body, set, redirect }) => {
        const saved = await service.updateLabel(deps, params.id, body);
        if (saved.ok) {
          ctx.log.info("label saved", { label: saved.label.id, by: agent.id });
          return redirect("/settings/labels?done=saved", 303);
        }
        set.status = saved.notFound ? 404 : 422;
        return page(agent, saved.notFound ? { message: GONE } : { edit: { id: params.id, values: saved.values, errors: saved.errors } });
      },
      { params: idParams, body: labelForm },
    )
    .post(
      "/:id/delete",
      async ({ agent, params, set, redirect }) => {
        if (await service.deleteLabel(deps, params.id)) {
          ctx.log.info("label deleted", { label: params.id, by: agent.id });
          return redirect("/settings/labels?done=deleted", 303);
        }
        set.status = 404;
        return page(agent, { message: "This label does not exist any more: someone may have deleted it already." });
      },
      { params: idParams },
    );
}
