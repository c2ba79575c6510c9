// "Has had no inbox open for 10 minutes": when an agent's customers' messages are emailed to them.
// Two facts make it, because neither alone is true enough across instances: presence (connected
// now, on any instance) and agents.inbox_seen_at (src/inbox/inbox-seen.ts: written at every open and
// close and once a minute while connected).

/** How long an agent must have had no inbox open before their customers' messages are emailed. */
export const AWAY_MS = 10 * 60_000;

/** The latest inbox_seen_at of an agent who counts as away at `now` (the clock's milliseconds). */
export const awaySince = (now: number) => new Date(now - AWAY_MS);

/** Not connected now, and no inbox seen within the last AWAY_MS (or never). */
export function awayLongEnough(agent: { inboxSeenAt: Date | null }, connectedNow: boolean, now: number): boolean {
  return !connectedNow && (agent.inboxSeenAt === null || agent.inboxSeenAt.getTime() <= awaySince(now).getTime());
}
