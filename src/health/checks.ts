import type { AppContext } from "../app-context.ts";

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
    return { error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

export async function readiness(ctx: Pick<AppContext, "database" | "redis">) {
  const [database, redis] = await Promise.all([
    check(() => ctx.database.ping()),
    ctx.redis ? check(() => ctx.redis!.ping()) : Promise.resolve<CheckResult>("not configured"),
  ]);
  const checks = { database, redis };
  const failed = Object.entries(checks)
    .filter(([, result]) => typeof result === "object")
    .map(([name]) => name);
  return { ready: failed.length === 0, checks, failed };
}
