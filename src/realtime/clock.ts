// Time as the background services see it: the delivery sweeper and the list-row publisher take a
// Clock, so that their tests move time forward themselves (src/testing/manual-clock.ts) instead of
// sleeping through real intervals and hoping the work got done.

/** What setTimeout returned; only the clock that made it knows what it is. */
export type ClockTimer = object;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `run` once after `ms`. A manual clock waits for the promise `run` returns before it moves on. */
  setTimeout(run: () => unknown, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

/** The process's clock. Its timers never keep the process alive (they are background work). */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(run, ms) {
    const timer = setTimeout(run, ms);
    timer.unref?.();
    return timer;
  },
  clearTimeout: (timer) => clearTimeout(timer as Timer),
};
