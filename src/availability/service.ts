import { conversationDeps, type AppContext } from "../app-context.ts";
import { setAvailability, type Availability } from "./queries.ts";

/**
 * An agent chose Online or Away. Every open widget hears at once whether anyone is online now (the
 * announcement goes over the bus, so the widgets of every instance do).
 */
export async function switchAvailability(ctx: AppContext, agentId: string, availability: Availability): Promise<void> {
  await setAvailability(ctx.database.db, agentId, availability);
  ctx.presenceAnnouncer.now();
  // Back Online: round-robin may have something waiting for them.
  if (availability === "online") ctx.queueDrainer.kick(conversationDeps(ctx));
}
