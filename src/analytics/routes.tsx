import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { AnalyticsPage } from "../../views/analytics/analytics-page.tsx";
import { csvFileName, csvStream } from "./csv.ts";
import { FIGURES, parseRange, type Figure, type RangeQuery } from "./model.ts";
import * as service from "./service.ts";
import { accountTimeZone } from "./time-zone.ts";

/** The range parameters of a query string; anything else (or a repeated parameter) is ignored. */
function rangeQuery(query: Record<string, unknown>): RangeQuery {
  const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 40) : undefined);
  return { range: text(query.range), from: text(query.from), to: text(query.to) };
}

/**
 * /analytics for signed-in agents, and /analytics/{figure}.csv with the rows behind each figure.
 * A range that cannot be read is shown on the page next to the form (400), or answered 400 with
 * the reason for a CSV.
 */
export function analyticsRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const db = ctx.database.db;

  async function csv(figure: Figure, query: Record<string, unknown>) {
    const parsed = parseRange(rangeQuery(query), await accountTimeZone(ctx));
    if (!parsed.ok) {
      return new Response(`${parsed.error}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    const table = await service.figureTable(db, figure, parsed.range);
    return new Response(csvStream(table), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${csvFileName(figure, parsed.range.from, parsed.range.to)}"`,
        "cache-control": "no-store",
      },
    });
  }

  const routes = new Elysia({ name: "analytics", prefix: "/analytics" })
    .use(session)
    .guard({ signedIn: true })
    .get("", async ({ agent, query, set }) => {
      const timeZone = await accountTimeZone(ctx);
      const parsed = parseRange(rangeQuery(query), timeZone);
      if (!parsed.ok) {
        set.status = 400;
        return <AnalyticsPage agent={agent} timeZone={timeZone} choice={parsed.choice} error={parsed.error} />;
      }
      const report = await service.report(db, parsed.range);
      return <AnalyticsPage agent={agent} timeZone={timeZone} choice={parsed.choice} report={report} />;
    });
  for (const figure of FIGURES) routes.get(`/${figure}.csv`, ({ query }) => csv(figure, query));
  return routes;
}
