import type { AppContext } from "../app-context.ts";

/**
 * The IANA zone whose local days analytics counts in, and the one place the analytics pages learn
 * it. Today it is TIME_ZONE (validated in config.ts, "UTC" by default); once the account has its
 * settings in the database only this function changes, which is why it is already async.
 */
export async function accountTimeZone(ctx: Pick<AppContext, "config" | "database">): Promise<string> {
  return ctx.config.timeZone;
}
