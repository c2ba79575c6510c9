// The collision guard's live part: each agent socket's conversation (its `view` frame) and
// typing (its `typing` frames) are kept in the viewers store (viewers.ts), and every change
// pushes the header's ViewersBar to the conversation's agents topic, on every instance.
import type { AppContext } from "../app-context.ts";
import { topics } from "../realtime/topics.ts";
import { ViewersBar } from "../../views/conversations/viewers-bar.tsx";

/** What the guard knows of one socket: who, where, and whether it types there. */
export interface SocketPresence {
  socket: string;
  agentId: string;
  name: string;
  viewing: string | null;
  typing: boolean;
}

export function collisionService(ctx: Pick<AppContext, "viewers" | "bus" | "log">) {
  const report = (err: unknown) => ctx.log.warn("viewers update failed", { error: String(err) });
  /**
   * One conversation's changes on this instance, one at a time: each reads the viewers after its
   * own change, and a read that overtook a later one would publish the older state last.
   */
  const chains = new Map<string, Promise<void>>();
  function push(conversationId: string, p: SocketPresence, here: boolean): Promise<void> {
    const viewer = here ? { agentId: p.agentId, name: p.name, typing: p.typing } : null;
    const run = async () => {
      const viewers = await ctx.viewers.set(conversationId, p.socket, viewer);
      ctx.bus.publish(topics.conversationAgents(conversationId), await (<ViewersBar conversationId={conversationId} viewers={viewers} oob />));
    };
    const next = (chains.get(conversationId) ?? Promise.resolve()).then(run).catch(report);
    chains.set(conversationId, next);
    void next.then(() => chains.get(conversationId) === next && chains.delete(conversationId));
    return next;
  }

  return {
    /** The socket now views `conversationId` (null: none): it leaves the one it viewed. */
    async viewing(p: SocketPresence, conversationId: string | null) {
      if (p.viewing === conversationId) return;
      const before = p.viewing;
      p.viewing = conversationId;
      p.typing = false;
      if (before) await push(before, p, false);
      if (conversationId) await push(conversationId, p, true);
    },
    /** A typing frame: only a change (on to off, off to on) in the conversation it views is pushed. */
    async typing(p: SocketPresence, conversationId: string, on: boolean) {
      if (p.viewing !== conversationId || p.typing === on) return;
      p.typing = on;
      await push(conversationId, p, true);
    },
    /** The socket closed: it views nothing any more. */
    closed(p: SocketPresence) {
      return this.viewing(p, null);
    },
  };
}
