import { errorMessage, type Logger } from "../log/logger.ts";
import type { Bus } from "./bus.ts";
import { topics } from "./topics.ts";

/**
 * Tells every open widget whether anyone is online ("online" / "away") after agents come and go,
 * and every inbox page how many are (`teamFrame`, the header's team state).
 * Debounced: an agent reloading the inbox closes and reopens their socket within a second, and
 * the widgets should not flicker to "away" and back. Every instance announces what it sees; a
 * widget takes the latest word, and gets the full truth again with every `ready`.
 */
export class PresenceAnnouncer {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly deps: { onlineCount: () => Promise<number>; bus: Bus; log: Logger; teamFrame?: (online: number) => Promise<string> },
    private readonly frame: (agentsOnline: boolean) => string,
    private readonly delayMs = 1500,
  ) {}

  /** An agent came online or went offline on this instance (their first socket opened, or last closed). */
  changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.announce(), this.delayMs);
  }

  /** An agent switched Online / Away: no reload to ride out, so the widgets hear it at once. */
  now(): void {
    clearTimeout(this.timer);
    void this.announce();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private async announce(): Promise<void> {
    try {
      const online = await this.deps.onlineCount();
      this.deps.bus.publish(topics.widgets(), this.frame(online > 0));
      if (this.deps.teamFrame) this.deps.bus.publish(topics.inbox(), await this.deps.teamFrame(online));
    } catch (err) {
      this.deps.log.warn("could not announce presence to widgets", { error: errorMessage(err) });
    }
  }
}
