// What every authenticated widget API route does first: find the visitor behind the Bearer token
// (refused unless the request comes from an allowed origin), and answer 429 past a budget.
import { widgetDeps, type AppContext } from "../app-context.ts";
import type { LimitVerdict } from "../limits/rate-limits.ts";
import { checkOrigin, visitorFromToken, WidgetRefused, type Visitor } from "./service.ts";

export type ErrorBody = { error: { code: string; message: string; retryAfter?: number } };

export const errorBody = (code: string, message: string, retryAfter?: number): ErrorBody => ({
  error: { code, message, ...(retryAfter ? { retryAfter } : {}) },
});

export function widgetGuards(ctx: AppContext) {
  const ownOrigin = ctx.config.publicUrl.origin;
  return {
    /** The visitor behind the Bearer token, refused unless the request comes from an allowed origin. */
    async visitorOf(request: Request): Promise<Visitor> {
      const token = request.headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
      const visitor = token ? await visitorFromToken(widgetDeps(ctx), token) : null;
      if (!visitor) throw new WidgetRefused(401, "unauthorized", "A valid visitor token is required: start a session first.");
      checkOrigin(visitor.inbox, request.headers.get("origin"), ownOrigin);
      return visitor;
    },

    /** null when allowed; else the 429 answer, with Retry-After set. */
    tooMany(set: { status?: number | string; headers: Record<string, string | number> }, verdict: LimitVerdict): ErrorBody | null {
      if (verdict.ok) return null;
      set.status = 429;
      set.headers["retry-after"] = String(verdict.retryAfter);
      return errorBody("rate_limited", `Too many requests. Try again in ${verdict.retryAfter} s.`, verdict.retryAfter);
    },
  };
}
