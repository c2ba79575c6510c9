import type { AppContext } from "../app-context.ts";
import { accountTimeZone as accountSettingsZone } from "../account/service.ts";

/**
 * The IANA zone whose local days analytics counts in, and the one place the analytics pages learn
 * it: the zone an admin saved in Settings, or TIME_ZONE (config.ts, "UTC" by default) until then.
 */
export async function accountTimeZone(ctx: Pick<AppContext, "config" | "database">): Promise<string> {
  return (await accountSettingsZone(ctx.database.db, ctx.config.timeZone)).timeZone;
}
