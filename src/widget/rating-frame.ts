// The widget socket's `rate` frame (docs/widget-protocol.md, "Satisfaction"): the customer's
// rating of their closed conversation. Kept apart from socket-service.ts, which it plugs into.
import type { AppContext } from "../app-context.ts";
import type { ConversationDeps } from "../conversations/changes.ts";
import type { LimitVerdict } from "../limits/rate-limits.ts";
import { RatingRefused } from "../satisfaction/model.ts";
import { customerRates } from "../satisfaction/service.tsx";
import { widgetFrames, type ErrorFrame } from "./frames.ts";
import type { ClientFrame } from "./model.ts";
import type { Admitted } from "./service.ts";
import type { WidgetSocketState, WidgetWs } from "./socket-service.ts";

interface SocketHelpers {
  ctx: AppContext;
  deps: ConversationDeps;
  send(ws: WidgetWs, frame: string): boolean;
  fail(ws: WidgetWs, frame: ErrorFrame): void;
  limited(ws: WidgetWs, verdict: LimitVerdict): boolean;
  keysOf(state: WidgetSocketState): { contact: string; ip: string | null };
  /** The visitor as the inbox admits them now (socket-service.ts): a socket it no longer admits is closed. */
  admit(ws: WidgetWs, state: WidgetSocketState, claims: WidgetSocketState["claims"]): Promise<Admitted | null>;
}

/**
 * Answers with a `rated` frame (which the conversation's other sockets get too), or an error frame
 * saying why not. It takes from the handoff budget, as POST /rating does: one budget for the
 * customer's rare verbs, so no new setting is needed.
 */
export function rateFrame(h: SocketHelpers) {
  return async (ws: WidgetWs, state: WidgetSocketState, frame: Extract<ClientFrame, { type: "rate" }>) => {
    if (h.limited(ws, await h.ctx.limits.take("handoff", h.keysOf(state)))) return;
    const visitor = await h.admit(ws, state, state.claims);
    if (!visitor) return;
    try {
      const event = await customerRates(h.deps, { inboxId: visitor.inbox.id, contactId: visitor.contactId }, frame);
      h.send(ws, widgetFrames.rated(event.rating!));
    } catch (err) {
      if (err instanceof RatingRefused) return h.fail(ws, { code: err.code, message: err.message });
      throw err;
    }
  };
}
