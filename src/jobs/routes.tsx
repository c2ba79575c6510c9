import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { JobsPage } from "../../views/settings/jobs-page.tsx";
import { jobsOverview } from "./service.ts";

/** /settings/jobs, for admins (`adminOnly`: a 403 page for agents): read only. */
export function jobsRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const db = ctx.database.db;
  return new Elysia({ name: "jobs", prefix: "/settings/jobs" })
    .use(session)
    .guard({ adminOnly: true })
    .get("", async ({ agent }) => {
      const { counts, ...lists } = await jobsOverview(db);
      return <JobsPage me={agent} counts={counts} lists={lists} />;
    });
}
