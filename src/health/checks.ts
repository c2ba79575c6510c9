import type { AppContext } from "../app-context.ts";
import { errorMessage } from "../log/logger.ts";

export type CheckResult = "ok" | "not configured" | { error: string };

/** A dependency that does not answer within this is as good as down for a load balancer. */
const CHECK_TIMEOUT_MS = 2000;

async function check(probe: () => Promise<void>): Promise<CheckResult> {
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return "ok";
  } catch (err) {
    return { error: errorMessage(err) };
  } finally {
    clearTimeout(timer);
  }
}

function busCheck(ctx: Pick<AppContext, "bus" | "redis">): CheckResult {
  if (!ctx.redis) return "not configured";
  const health = ctx.bus.health();
  return health.ok ? "ok" : { error: health.reason };
}

export async function readiness(ctx: Pick<AppContext, "database" | "redis" | "bus">) {
  const [database, redis] = await Promise.all([
    check(() => ctx.database.ping()),
    ctx.redis ? check(() => ctx.redis!.ping()) : Promise.resolve<CheckResult>("not configured"),
  ]);
  // A live Redis is not enough: this instance must also be hearing the other instances.
  const checks = { database, redis, subscription: busCheck(ctx) };
  const failed = Object.entries(checks)
    .filter(([, result]) => typeof result === "object")
    .map(([name]) => name);
  return { ready: failed.length === 0, checks, failed };
}
