// A limiter that needs no Redis round trip while a bucket is far from empty (issue 15 item 6).
// Every widget message took one limiter round trip before its insert could start: a quarter of a
// millisecond at the median, more at p90. The decision only needs Redis near the limit, so each
// instance remembers what Redis last said was left in a bucket, spends from that at once and counts
// the point in Redis in the background; the next answer corrects the memory.
import { RateLimiterRes } from "rate-limiter-flexible";
import type { Limiter } from "./limiter-store.ts";
import type { LimitWindow } from "./policy.ts";

/** Keys remembered at most; the oldest are forgotten first (each is only a shortcut). */
const MAX_KEYS = 50_000;

interface Known {
  /** Points left as Redis last said, minus what this instance spent since. */
  left: number;
  /** When the window Redis counted in ends (ms, the clock below). */
  resetsAt: number;
}

/**
 * Wraps a shared (Redis) limiter. A take goes through without waiting while the bucket, as last
 * seen, keeps more than `margin` points after it; otherwise it waits for Redis, as before. The
 * first take of a key on an instance always waits, so two instances never both start from a guess.
 * What it can get wrong: points other instances took from the same bucket in the last round trip.
 * A bucket can therefore overshoot by the takes one instance makes in one round trip, never more,
 * and the answer that shows the overshoot stops the shortcut for that key.
 */
export function headroomLimiter(inner: Limiter, window: LimitWindow, now: () => number = Date.now): Limiter {
  const known = new Map<string, Known>();
  // The last points are always decided by Redis: a tenth of the window, at least two.
  const margin = Math.max(2, Math.ceil(window.points / 10));

  const remember = (key: string, res: RateLimiterRes) => {
    known.delete(key); // re-inserted last: the map's order is the order of use
    if (known.size >= MAX_KEYS) known.delete(known.keys().next().value!);
    known.set(key, { left: res.remainingPoints, resetsAt: now() + res.msBeforeNext });
  };
  const counted = (key: string) => (res: RateLimiterRes) => {
    remember(key, res);
    return res;
  };
  const refused = (key: string) => (err: unknown) => {
    if (err instanceof RateLimiterRes) remember(key, err);
    else known.delete(key);
    throw err;
  };

  return {
    consume(key, points = 1, options) {
      const id = String(key);
      const seen = known.get(id);
      if (seen && seen.resetsAt > now() && seen.left - points > margin) {
        seen.left -= points;
        // Counted in Redis all the same; its answer (taken or not) becomes what is known.
        inner.consume(key, points, options).then(counted(id), refused(id)).catch(() => {});
        return Promise.resolve(new RateLimiterRes(seen.left, Math.max(0, seen.resetsAt - now()), window.points - seen.left, false));
      }
      return inner.consume(key, points, options).then(counted(id), refused(id));
    },
    reward(key, points = 1, options) {
      const seen = known.get(String(key));
      if (seen) seen.left += points;
      return inner.reward(key, points, options);
    },
    delete(key, options) {
      known.delete(String(key));
      return inner.delete(key, options);
    },
  };
}
