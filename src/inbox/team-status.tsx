// The team's state for the inbox's header (views/inbox/team-status.tsx): how many agents customers
// see online, by the same rule as the widget (src/availability: set to Online and connected).
import type { OnlineAgents } from "../availability/online-agents.ts";
import { TeamStatus } from "../../views/inbox/team-status.tsx";

/** The header's team state, out of band: what the presence announcer publishes to every inbox page. */
export async function teamStatusFrame(online: number): Promise<string> {
  return await (<TeamStatus online={online} oob />);
}

/** The team's state now, for one page that has just started following the inbox (after it subscribed: a change meanwhile also arrives). */
export async function currentTeamStatus(online: OnlineAgents): Promise<string> {
  return teamStatusFrame((await online.ids()).size);
}
