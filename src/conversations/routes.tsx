import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import { agentSession } from "../auth/agent-session.ts";
import { InboxPage } from "../../views/inbox/inbox-page.tsx";

/** The agents' inbox pages. */
export function conversationRoutes(ctx: AppContext) {
  return new Elysia().use(agentSession(ctx)).get("/inbox", ({ agent }) => <InboxPage agent={agent} />, { signedIn: true });
}
