import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import { readiness } from "./checks.ts";

export function healthRoutes(ctx: AppContext) {
  return (
    new Elysia({ name: "health" })
      // Liveness: the process serves requests. Deliberately checks nothing else, so that a
      // database outage does not make an orchestrator restart healthy processes in a loop.
      .get("/health", () => ({ status: "ok" }))
      .get("/ready", async ({ set }) => {
        const { ready, checks, failed } = await readiness(ctx);
        set.status = ready ? 200 : 503;
        return ready ? { status: "ready", checks } : { status: "unavailable", failed, checks };
      })
  );
}
