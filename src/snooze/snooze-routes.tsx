import { Elysia, t } from "elysia";
import { idParams } from "../http/params.ts";
import { conversationDeps, type AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { accountTimeZone } from "../analytics/time-zone.ts";
import { ConversationRefused } from "../conversations/model.ts";
import type { VerbResult } from "../conversations/agent-verbs.ts";
import { headerAfterVerb } from "../conversations/verb-answer.tsx";
import { snooze, unsnooze } from "./snooze-service.ts";
import { SNOOZE_PRESETS, snoozeEnd } from "./snooze-time.ts";

/**
 * POST /inbox/c/:id/snooze (a preset, or `custom` with `until`, a datetime-local value on the
 * account's clock) and POST /inbox/c/:id/unsnooze: from the header's Snooze menu
 * (views/conversations/snooze-control.tsx). The answer is the header again, as every verb's; a
 * refusal (a time past, a closed conversation) goes to the notice beside it.
 */
export function snoozeRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const deps = conversationDeps(ctx);
  const header = (id: string, result: VerbResult) => headerAfterVerb(ctx.database.db, id, result);
  return new Elysia({ name: "snooze", prefix: "/inbox/c" })
    .use(session)
    .guard({ signedIn: true })
    .post(
      "/:id/snooze",
      async ({ agent, params, body }) => {
        // "Now" is the job worker's: the wake job is due on that clock (a test's ManualClock).
        const end = snoozeEnd(body.preset, ctx.jobWorker.clock.now(), await accountTimeZone(ctx), body.until);
        if ("refused" in end) throw new ConversationRefused("bad_request", end.refused);
        return header(params.id, await snooze(deps, agent, params.id, end.until));
      },
      {
        params: idParams,
        body: t.Object({ preset: t.UnionEnum(SNOOZE_PRESETS), until: t.Optional(t.String({ maxLength: 40 })) }),
      },
    )
    .post("/:id/unsnooze", async ({ agent, params }) => header(params.id, await unsnooze(deps, agent, params.id)), {
      params: idParams,
    });
}
