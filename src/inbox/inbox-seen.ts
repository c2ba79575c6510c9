// When each agent last had an inbox page open (agents.inbox_seen_at), kept true enough for every
// instance to ask "has this agent had no inbox open for 10 minutes?" (the email alerts, src/mail).
// Presence says who is connected now; this says since when someone who is not has been away.
import { markInboxSeen } from "../agents/queries.ts";
import type { Db } from "../db/database.ts";
import { errorMessage, type Logger } from "../log/logger.ts";
import { realClock, type Clock, type ClockTimer } from "../realtime/clock.ts";

/** While connected, an agent's time is written this often: at most a minute stale after a crash. */
export const INBOX_SEEN_REFRESH_MS = 60_000;

/**
 * Writes the time when an agent's inbox socket opens and when one closes, and once a minute one
 * statement for every agent connected to this instance: no write per frame. An instance that dies
 * leaves its agents' times at most a minute old (presence drops them on its own).
 */
export class InboxSeen {
  private readonly sockets = new Map<string, number>();
  private timer: ClockTimer | null = null;
  private readonly clock: Clock;
  /** Writes go one after the other, so a close's time never lands before its open's. */
  private writing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: { db: Db; log: Logger; clock?: Clock }) {
    this.clock = deps.clock ?? realClock;
  }

  opened(agentId: string): void {
    this.sockets.set(agentId, (this.sockets.get(agentId) ?? 0) + 1);
    void this.write([agentId]);
  }

  closed(agentId: string): void {
    const count = this.sockets.get(agentId);
    if (count === undefined) return;
    if (count > 1) this.sockets.set(agentId, count - 1);
    else this.sockets.delete(agentId);
    void this.write([agentId]);
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = this.clock.setTimeout(() => this.refresh(), INBOX_SEEN_REFRESH_MS);
  }

  /** No more writes (the database closes next); what was asked before still lands (settled()). */
  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Returns the write it started, which a manual clock waits for. */
  private refresh(): Promise<void> {
    this.timer = this.clock.setTimeout(() => this.refresh(), INBOX_SEEN_REFRESH_MS);
    return this.write([...this.sockets.keys()]);
  }

  private write(agentIds: string[]): Promise<void> {
    if (!agentIds.length || this.stopped) return this.writing;
    const at = new Date(this.clock.now());
    this.writing = this.writing.then(async () => {
      try {
        await markInboxSeen(this.deps.db, agentIds, at);
      } catch (err) {
        // The next refresh (or close) writes it again; until then an agent may look away a little early.
        this.deps.log.warn("could not record that agents have an inbox open", { count: agentIds.length, error: errorMessage(err) });
      }
    });
    return this.writing;
  }

  /** Resolves once every write asked for so far is done (tests; shutdown). */
  settled(): Promise<void> {
    return this.writing;
  }
}
