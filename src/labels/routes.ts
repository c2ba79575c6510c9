import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { conversationLabelRoutes } from "./conversation-routes.tsx";
import { labelSettingsRoutes } from "./settings-routes.tsx";

/** Labels' routes: Settings, Labels (settings-routes.tsx) and a conversation's labels (conversation-routes.tsx). */
export function labelRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  return new Elysia({ name: "labels" }).use(labelSettingsRoutes(ctx, session)).use(conversationLabelRoutes(ctx, session));
}
