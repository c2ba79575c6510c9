import { Elysia, t } from "elysia";
import { idParams } from "../http/params.ts";
import { conversationDeps, type AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import * as service from "./service.ts";

/**
 * GET /inbox/c/:id/labels: the chips and the menu as they are now (the menu asks each time it opens).
 * POST /inbox/c/:id/labels: a checkbox of the conversation's "Labels" menu (views/conversations/labels-control.tsx)
 * puts one label on (`on=true`) or takes it off (no `on`, as an unticked checkbox posts). Any
 * signed-in agent may; the answer is the chips and the menu, out of band. An unknown
 * conversation is 404, a label that is not an id 400 (the error handler answers both).
 */
export function conversationLabelRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const deps = conversationDeps(ctx);
  return new Elysia({ name: "conversation-labels", prefix: "/inbox/c" })
    .use(session)
    .guard({ signedIn: true })
    .get("/:id/labels", ({ params }) => service.conversationLabels(deps, params.id), { params: idParams })
    .post("/:id/labels", ({ agent, params, body }) => service.setConversationLabel(deps, agent, params.id, body.label, body.on === "true"), {
      params: idParams,
      body: t.Object({ label: t.String({ maxLength: 100 }), on: t.Optional(t.String({ maxLength: 10 })) }),
    });
}
