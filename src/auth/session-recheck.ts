// A socket outlives the request that opened it, so its session is checked again while it is open.
// Sign-out, a password change and deactivation close sockets at once through the bus; these
// re-checks are what remains if that message was lost, and they are how expiry reaches a socket.

/** A socket whose session-ending message was lost is closed at most this long after. */
export const SESSION_RECHECK_MS = 5 * 60 * 1000;
/** setTimeout's longest delay (about 24.8 days): a later expiry is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SessionRecheck {
  /** Stops checking (the socket closed). */
  stop(): void;
}

/**
 * Checks a session at its expiry or every `everyMs`, whichever comes first. `check` answers the
 * session's current expiry (it slides while the agent uses the app) or null when it ended; on null
 * `ended` is called once and checking stops. A failed check (database down) is tried again later:
 * an outage must not sign everyone out.
 */
export function recheckSession(
  expiresAt: Date,
  check: () => Promise<Date | null>,
  ended: () => void,
  options: { everyMs?: number; now?: () => number; onError?: (err: unknown) => void } = {},
): SessionRecheck {
  const everyMs = options.everyMs ?? SESSION_RECHECK_MS;
  const now = options.now ?? Date.now;
  let timer: Timer | undefined;
  let stopped = false;

  const schedule = (until: Date) => {
    if (stopped) return;
    const delay = Math.max(0, Math.min(until.getTime() - now(), everyMs, MAX_TIMER_MS));
    timer = setTimeout(run, delay);
  };

  async function run() {
    let next: Date | null;
    try {
      next = await check();
    } catch (err) {
      options.onError?.(err);
      return schedule(new Date(now() + everyMs));
    }
    if (stopped) return;
    if (next === null || next.getTime() <= now()) {
      stopped = true;
      return ended();
    }
    schedule(next);
  }

  schedule(expiresAt);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
