// Tells the waiting customers their places in the queue, coalesced (moved out of notify.tsx so its
// timing runs on a Clock). Each change to the queue used to tell the first 200 waiting customers
// at once: one read of the queue and 200 bus frames, which every instance parses. With thousands
// waiting and agents claiming a hundred a second (bench/reconnect-storm.ts), that was 20,000 frames
// a second, and it took the instance the customers were reconnecting to.
import type { Db } from "../db/database.ts";
import { errorMessage, type Logger } from "../log/logger.ts";
import type { Bus } from "../realtime/bus.ts";
import { realClock, type Clock } from "../realtime/clock.ts";
import { tellQueuePlaces } from "./notify.tsx";

/** Queue changes within this window are told together, with the places as they are at its end. */
const QUEUE_TELL_INTERVAL_MS = 250;

/**
 * The first change after a quiet spell is told at once (the customer whose conversation changed
 * is told by the change itself); later ones within the window once, at its end, from a fresh read.
 * The window starts when a telling has finished, so two never overlap: an older read can never be
 * the last place a customer hears. A telling that failed is tried again at the window's end.
 */
export class QueuePlaces {
  /** A telling is under way, or its window has not ended: changes now wait for the window's end. */
  private busy = false;
  private pending = false;
  private readonly clock: Clock;

  constructor(
    private readonly deps: { db: Db; bus: Bus; log: Logger; clock?: Clock },
    private readonly intervalMs = QUEUE_TELL_INTERVAL_MS,
  ) {
    this.clock = deps.clock ?? realClock;
  }

  /** The queue changed; `changed` (whose conversation it was) was told already. Resolves once told, if at once. Never rejects. */
  moved(changed: string): Promise<void> {
    if (this.busy) {
      this.pending = true;
      return Promise.resolve();
    }
    this.busy = true;
    return this.tellThenWait(changed);
  }

  private async tellThenWait(except: string | null): Promise<void> {
    if (!(await this.tell(except))) this.pending = true;
    this.clock.setTimeout(() => this.windowEnded(), this.intervalMs);
  }

  /** Returns the telling it started, which a manual clock waits for. */
  private windowEnded(): Promise<void> | undefined {
    if (!this.pending) {
      this.busy = false;
      return;
    }
    this.pending = false;
    return this.tellThenWait(null);
  }

  /** Whether everyone was told. */
  private async tell(except: string | null): Promise<boolean> {
    try {
      await tellQueuePlaces(this.deps, except);
      return true;
    } catch (err) {
      // Their places: told again at the window's end, and read afresh on a reconnect.
      this.deps.log.warn("telling the queue their places failed", { error: errorMessage(err) });
      return false;
    }
  }
}
