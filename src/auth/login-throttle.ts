// Slows down password guessing at /login: attempts are counted per (email, IP) and per IP with
// rate-limiter-flexible, in the limiter store of the rate limits (src/limits/limiter-store.ts). With
// Redis the counts are shared by every instance (an attacker cannot spread guesses over the load
// balancer); without it, or while Redis is down, each instance counts alone. A successful sign-in
// clears its (email, IP) count, so a person who mistyped twice is not left with three tries for the
// next quarter of an hour. The address counts under ipKey: an IPv6 client by its /64, so that it
// cannot get a fresh budget per address of its network.
import { ipKey } from "../http/ip-key.ts";
import { storeErrorReporter, takeOne, type LimiterStore } from "../limits/limiter-store.ts";
import type { LimitWindow } from "../limits/policy.ts";
import { DEFAULT_LIMITS, type LimitSettings } from "../limits/settings.ts";
import type { Logger } from "../log/logger.ts";

export interface LoginThrottlePolicy {
  /** Guesses at one account from one address: OWASP's "5 to 10", then a wait. */
  perEmailIp: LimitWindow;
  /** Guesses from one address at any accounts (password spraying). Offices share an address. */
  perIp: LimitWindow;
}

const MINUTE = 60;

/** The budgets the settings describe (LOGIN_ATTEMPTS_PER_..._PER_15_MINUTES). */
export function loginThrottlePolicy(s: Pick<LimitSettings, "loginAttemptsPerEmailAndIpPer15Minutes" | "loginAttemptsPerIpPer15Minutes">): LoginThrottlePolicy {
  return {
    perEmailIp: { points: s.loginAttemptsPerEmailAndIpPer15Minutes, seconds: 15 * MINUTE },
    perIp: { points: s.loginAttemptsPerIpPer15Minutes, seconds: 15 * MINUTE },
  };
}

export const DEFAULT_LOGIN_POLICY: LoginThrottlePolicy = loginThrottlePolicy(DEFAULT_LIMITS);

export type LoginVerdict = { ok: true } | { ok: false; retryAfter: number /* whole seconds, >= 1 */ };

export interface LoginThrottle {
  /**
   * Counts an attempt before the password is checked, so that a burst of parallel guesses cannot
   * all slip in before the first failure is recorded. Refused: wait `retryAfter` seconds.
   */
  attempt(email: string, ip: string | null): Promise<LoginVerdict>;
  /** The password was right: this attempt does not count, and the account's count starts over. */
  succeeded(email: string, ip: string | null): Promise<void>;
  close(): Promise<void>;
}

const keys = (email: string, ip: string | null) => {
  const address = ip === null ? "unknown" : ipKey(ip);
  return { emailIp: `${email.trim().toLowerCase()}|${address}`, ip: address };
};

/**
 * A throttle counting in `store`. Unlike the widget's limits, a refused attempt keeps the points it
 * took: every guess counts. Closing it leaves the store to its owner.
 */
export function loginThrottleIn(
  store: LimiterStore,
  log: Logger,
  policy: LoginThrottlePolicy = DEFAULT_LOGIN_POLICY,
  /** Called for each refused attempt (the metrics count them). */
  onRefused: () => void = () => {},
): LoginThrottle {
  const perEmailIp = store.limiter("supportdesk:login:email-ip", policy.perEmailIp);
  const perIp = store.limiter("supportdesk:login:ip", policy.perIp);
  /** A broken store lets the attempt through (and says so once): sign-in must not depend on Redis. */
  const storeFailed = storeErrorReporter(log, "login throttle: counting failed, attempt not limited");
  const waitMs = async (limiter: typeof perIp, key: string): Promise<number> => {
    const outcome = await takeOne(limiter, key, storeFailed);
    return outcome.kind === "refused" ? outcome.msBeforeNext : 0;
  };
  return {
    async attempt(email, ip) {
      if (store.ready) await store.ready;
      const k = keys(email, ip);
      const waits = await Promise.all([waitMs(perEmailIp, k.emailIp), waitMs(perIp, k.ip)]);
      const longest = Math.max(...waits);
      if (longest > 0) onRefused();
      return longest > 0 ? { ok: false, retryAfter: Math.max(1, Math.ceil(longest / 1000)) } : { ok: true };
    },
    async succeeded(email, ip) {
      const k = keys(email, ip);
      await Promise.all([perEmailIp.delete(k.emailIp), perIp.reward(k.ip)]).catch(storeFailed);
    },
    async close() {},
  };
}


/** "15 minutes", "1 minute": how long the sign-in page asks a person to wait. */
export function waitInWords(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / MINUTE));
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}
