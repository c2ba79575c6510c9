// A Clock that moves only when a test says so: `await clock.advance(ms)` runs every timer that
// falls due, in order, and waits for the work each one returns, so that the test can assert on
// its result at once. Nothing runs between two advances.
import type { Clock, ClockTimer } from "../realtime/clock.ts";

interface Pending {
  at: number;
  /** Breaks ties: timers due at the same moment run in the order they were set. */
  order: number;
  run: () => unknown;
}

export class ManualClock implements Clock {
  private current: number;
  private readonly pending = new Set<Pending>();
  private made = 0;

  constructor(start = Date.parse("2025-01-01T00:00:00Z")) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(run: () => unknown, ms: number): ClockTimer {
    const timer: Pending = { at: this.current + Math.max(0, ms), order: this.made++, run };
    this.pending.add(timer);
    return timer;
  }

  clearTimeout(timer: ClockTimer): void {
    this.pending.delete(timer as Pending);
  }

  /** Timers set and not yet run. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Moves time forward by `ms`, running (and awaiting) each timer due by then, timers they set included. */
  async advance(ms: number): Promise<void> {
    const until = this.current + ms;
    for (let next = this.due(until); next; next = this.due(until)) {
      this.pending.delete(next);
      this.current = next.at;
      await next.run();
    }
    this.current = until;
  }

  private due(until: number): Pending | undefined {
    let first: Pending | undefined;
    for (const timer of this.pending) {
      if (timer.at > until) continue;
      if (!first || timer.at < first.at || (timer.at === first.at && timer.order < first.order)) first = timer;
    }
    return first;
  }
}
