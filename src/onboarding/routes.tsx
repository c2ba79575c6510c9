import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { OnboardingChecklist } from "../../views/inbox/onboarding-checklist.tsx";
import { firstInbox, onboardingFacts } from "./queries.ts";

/** Set by "Dismiss this checklist": per browser, for a year (no migration for a per-agent flag). */
export const DISMISSED_COOKIE = "sd_onboarding";

/**
 * The first-run checklist of the empty inbox (views/inbox/onboarding-checklist.tsx), for admins:
 * the steps left, or nothing once all are done or it was dismissed.
 */
export function onboardingRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const db = ctx.database.db;
  return new Elysia({ name: "onboarding", prefix: "/inbox/onboarding" })
    .use(session)
    .guard({ signedIn: true })
    .get("", async ({ agent, cookie }) => {
      if (agent.role !== "admin" || cookie[DISMISSED_COOKIE]?.value === "dismissed") return "";
      const [facts, inbox] = await Promise.all([onboardingFacts(db, new Date()), firstInbox(db)]);
      if (!inbox || (facts.widgetLive && facts.teammate && facts.hours)) return "";
      return <OnboardingChecklist facts={facts} inbox={inbox} publicUrl={ctx.config.publicUrl.toString()} />;
    })
    .post("/dismiss", ({ cookie, headers, redirect }) => {
      cookie[DISMISSED_COOKIE]!.set({
        value: "dismissed",
        httpOnly: true,
        sameSite: "lax",
        secure: ctx.config.publicUrl.protocol === "https:",
        path: "/inbox",
        maxAge: 365 * 24 * 60 * 60,
      });
      // htmx swaps the checklist for nothing; a plain form post goes back to the inbox.
      return headers["hx-request"] ? "" : redirect("/inbox", 303);
    });
}
