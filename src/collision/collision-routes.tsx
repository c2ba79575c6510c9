import { Elysia, t } from "elysia";
import { idParams } from "../http/params.ts";
import type { AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { isUuid } from "../conversations/model.ts";
import { agentName } from "../conversations/queries.ts";
import { RepliedNotice } from "../../views/conversations/viewers-bar.tsx";

/**
 * GET /inbox/c/:id/replied-notice?agent=<id>: the notice above the Send button, "Ben replied while
 * you were typing — review before sending", which public/conversation.js asks for when a
 * colleague's reply arrives while the agent's reply field holds text. Reads only an agent's name.
 */
export function collisionRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  return new Elysia({ name: "collision", prefix: "/inbox/c" })
    .use(session)
    .guard({ signedIn: true })
    .get(
      "/:id/replied-notice",
      async ({ params, query, set }) => {
        if (!isUuid(params.id)) {
          set.status = 404;
          return "";
        }
        const name = isUuid(query.agent) ? await agentName(ctx.database.db, query.agent) : null;
        return <RepliedNotice conversationId={params.id} agentName={name ?? null} />;
      },
      { params: idParams, query: t.Object({ agent: t.Optional(t.String({ maxLength: 100 })) }) },
    );
}
