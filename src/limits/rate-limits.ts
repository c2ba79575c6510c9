// Rate limits for the public widget endpoints: messages, new conversations and new visitor sessions,
// each counted per contact and per IP (ARCHITECTURE.md §6 "Limits"). With Redis the budgets are
// shared by every app instance; without it, or while Redis is down, each instance counts alone.
// The limiter store and takeOne below are shared with the sign-in throttle (src/auth/login-throttle.ts).
import Redis from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { DEFAULT_CONVERSATIONS_PER_IP_PER_HOUR, type Config } from "../config.ts";
import { errorMessage, silentLogger, type Logger } from "../log/logger.ts";
import { reportRedisErrors } from "../realtime/redis.ts";

export type LimitName = "message" | "conversation" | "session";

/** A budget of `points` that refills all at once `seconds` after the first point was taken. */
export interface LimitWindow {
  points: number;
  seconds: number;
}

/** Per limit: points per window, for each kind of key. */
export interface LimitPolicy {
  perContact: LimitWindow;
  perIp: LimitWindow;
}

export type RateLimitPolicy = Record<LimitName, LimitPolicy>;

const MINUTE = 60;
const HOUR = 60 * MINUTE;

// Anchors: Chatwoot's widget defaults (6 conversations per 12 h, 60 messages/min per visitor) and
// OWASP's 100 messages/min; see shared/notes/reliability-performance.md §3.4 and R8. The per-IP caps
// are several visitors' worth, because offices and mobile carriers put many people behind one IP.
export const DEFAULT_RATE_LIMITS: RateLimitPolicy = {
  message: { perContact: { points: 60, seconds: MINUTE }, perIp: { points: 300, seconds: MINUTE } },
  conversation: { perContact: { points: 6, seconds: 12 * HOUR }, perIp: { points: DEFAULT_CONVERSATIONS_PER_IP_PER_HOUR, seconds: HOUR } },
  // A new session has no contact yet, so callers pass only the IP; the contact window keeps the shape.
  session: { perContact: { points: 30, seconds: MINUTE }, perIp: { points: 60, seconds: MINUTE } },
};

/** The defaults with what the operator configured (CONVERSATIONS_PER_IP_PER_HOUR). */
export function rateLimitPolicy(config: Pick<Config, "conversationsPerIpPerHour">): RateLimitPolicy {
  return {
    ...DEFAULT_RATE_LIMITS,
    conversation: { ...DEFAULT_RATE_LIMITS.conversation, perIp: { points: config.conversationsPerIpPerHour, seconds: HOUR } },
  };
}

export type LimitVerdict = { ok: true } | { ok: false; retryAfter: number /* whole seconds, >= 1 */ };

export interface RateLimits {
  /** Takes one point from the contact's and the IP's bucket of that limit (either key may be null = skip). */
  take(name: LimitName, keys: { contact?: string | null; ip?: string | null }): Promise<LimitVerdict>;
  close(): Promise<void>;
}

type KeyKind = "contact" | "ip";

/** The operations of a rate-limiter-flexible limiter that the limits here use. */
export type Limiter = Pick<RateLimiterMemory, "consume" | "reward" | "delete">;

type Buckets = Record<LimitName, Record<KeyKind, Limiter>>;

const LIMIT_NAMES: readonly LimitName[] = ["message", "conversation", "session"];

function windowOf(policy: LimitPolicy, kind: KeyKind): LimitWindow {
  return kind === "contact" ? policy.perContact : policy.perIp;
}

function checkPolicy(policy: RateLimitPolicy): void {
  for (const name of LIMIT_NAMES) {
    for (const kind of ["contact", "ip"] as const) {
      const { points, seconds } = windowOf(policy[name], kind);
      // Redis keeps whole seconds, and the library reads a duration of 0 as "never refills".
      if (!Number.isInteger(points) || points < 1 || !Number.isInteger(seconds) || seconds < 1) {
        throw new Error(`rate limit ${name}/${kind} needs whole points >= 1 and seconds >= 1`);
      }
    }
  }
}

function buildBuckets(policy: RateLimitPolicy, make: (name: LimitName, kind: KeyKind, window: LimitWindow) => Limiter): Buckets {
  checkPolicy(policy);
  const forLimit = (name: LimitName) => ({
    contact: make(name, "contact", policy[name].perContact),
    ip: make(name, "ip", policy[name].perIp),
  });
  return { message: forLimit("message"), conversation: forLimit("conversation"), session: forLimit("session") };
}

export type Outcome = { kind: "taken" } | { kind: "refused"; msBeforeNext: number } | { kind: "failed" };

/**
 * The library resolves when a point was taken and rejects with a RateLimiterRes when the bucket is
 * empty; any other rejection is a broken store, which `onStoreError` turns into "not counted".
 */
export async function takeOne(limiter: Limiter, key: string, onStoreError: (err: unknown) => void): Promise<Outcome> {
  try {
    await limiter.consume(key);
    return { kind: "taken" };
  } catch (err) {
    if (err instanceof RateLimiterRes) return { kind: "refused", msBeforeNext: err.msBeforeNext };
    onStoreError(err);
    return { kind: "failed" };
  }
}

function limitsOver(buckets: Buckets, onStoreError: (err: unknown) => void, close: () => Promise<void>): RateLimits {
  return {
    async take(name, keys) {
      const attempts: { limiter: Limiter; key: string }[] = [];
      if (keys.contact != null) attempts.push({ limiter: buckets[name].contact, key: keys.contact });
      if (keys.ip != null) attempts.push({ limiter: buckets[name].ip, key: keys.ip });
      // Both buckets at once: one round trip to Redis instead of two on every request.
      const outcomes = await Promise.all(attempts.map((a) => takeOne(a.limiter, a.key, onStoreError)));

      let longestWaitMs = -1;
      for (const outcome of outcomes) {
        if (outcome.kind === "refused") longestWaitMs = Math.max(longestWaitMs, outcome.msBeforeNext);
      }
      if (longestWaitMs < 0) return { ok: true };

      // A refused request gives back the point it took from the other bucket: buckets count only work
      // that was accepted. Otherwise one visitor hammering past their own limit would also drain their
      // IP's bucket and lock out everyone else behind the same office or carrier NAT, and a busy IP
      // would eat the budgets of its visitors for messages that were never sent. Between the take and
      // the refund a concurrent request may see one point fewer, which only errs on the strict side; if
      // the window ends in between, the refund becomes one spare point in the next window.
      await Promise.all(
        attempts.map(async (attempt, i) => {
          if (outcomes[i]?.kind !== "taken") return;
          try {
            await attempt.limiter.reward(attempt.key);
          } catch (err) {
            onStoreError(err);
          }
        }),
      );
      // Retry-After is whole seconds; never 0, which clients would read as "retry at once".
      return { ok: false, retryAfter: Math.max(1, Math.ceil(longestWaitMs / 1000)) };
    },
    close,
  };
}

function memoryLimiter(window: LimitWindow): RateLimiterMemory {
  return new RateLimiterMemory({ points: window.points, duration: window.seconds });
}

/**
 * Where limiters count: in this process, or in Redis through one client that every limiter made from
 * the store shares. Whoever made a store closes it; what was built on it does not.
 */
export interface LimiterStore {
  /** "memory": counting cannot fail for lack of infrastructure, so a store error there is a bug. */
  readonly kind: "memory" | "redis";
  /** A limiter for one window; in Redis its keys start with `keyPrefix`. */
  limiter(keyPrefix: string, window: LimitWindow): Limiter;
  /** Resolves when counting may start (Redis: once the first connection attempt has ended); null: now. */
  readonly ready: Promise<void> | null;
  close(): Promise<void>;
}

export function memoryLimiterStore(): LimiterStore {
  return { kind: "memory", limiter: (_keyPrefix, window) => memoryLimiter(window), ready: null, close: async () => {} };
}

/**
 * Logs each new kind of store error once, as `message`: operators hear about a broken store, not
 * once per request.
 */
export function storeErrorReporter(log: Logger, message: string): (err: unknown) => void {
  const errorsLogged = new Set<string>();
  return (err) => {
    const error = errorMessage(err);
    if (errorsLogged.has(error)) return;
    errorsLogged.add(error);
    log.error(message, { error });
  };
}

/** Rate limits counted in `store`; closing them leaves the store to its owner. */
export function rateLimitsIn(
  store: LimiterStore,
  log: Logger,
  policy: RateLimitPolicy = DEFAULT_RATE_LIMITS,
  options: { keyPrefix?: string } = {},
): RateLimits {
  const keyPrefix = options.keyPrefix ?? "supportdesk:rl";
  const buckets = buildBuckets(policy, (name, kind, window) => store.limiter(`${keyPrefix}:${name}:${kind}`, window));
  const onStoreError =
    store.kind === "memory"
      ? (err: unknown) => {
          throw err;
        }
      : // Only reached if the insurance limiter itself fails. The request goes through uncounted
        // rather than failing: a limiter bug must not take the widget down.
        storeErrorReporter(log, "rate limits: counting failed, request not limited");
  const limits = limitsOver(buckets, onStoreError, async () => {});
  const ready = store.ready;
  if (!ready) return limits;
  return {
    async take(name, keys) {
      await ready;
      return limits.take(name, keys);
    },
    close: limits.close,
  };
}

/** Rate limits with a store of their own, which closing them closes. */
function owningStore(store: LimiterStore, limits: RateLimits): RateLimits {
  return {
    take: limits.take,
    async close() {
      await limits.close();
      await store.close();
    },
  };
}

/** Per-instance limits, for a single instance without Redis (and for tests). */
export function memoryRateLimits(policy: RateLimitPolicy = DEFAULT_RATE_LIMITS): RateLimits {
  // Counting in memory cannot fail for lack of infrastructure; an error here is a bug, so it is thrown.
  return rateLimitsIn(memoryLimiterStore(), silentLogger, policy);
}

/**
 * RateLimiterRedis calls its insurance limiter only after a Redis command failed, so a call to it is
 * the moment the limits stop being shared between instances.
 */
class InsuranceLimiter extends RateLimiterMemory {
  readonly #onUse: () => void;

  constructor(window: LimitWindow, onUse: () => void) {
    super({ points: window.points, duration: window.seconds });
    this.#onUse = onUse;
  }

  override consume(...args: Parameters<RateLimiterMemory["consume"]>): ReturnType<RateLimiterMemory["consume"]> {
    this.#onUse();
    return super.consume(...args);
  }
}

/**
 * Limiters shared by every instance through one Redis client. While Redis is unreachable each
 * instance falls back to its own in-memory counters with the same windows (the library's
 * `insuranceLimiter`): a visitor may then get up to one budget per instance, which beats refusing
 * every request or allowing all.
 */
export function redisLimiterStore(url: string, log: Logger): LimiterStore {
  const client = new Redis(url, {
    // Fail a command at once while disconnected instead of queueing it: the insurance limiter answers
    // now, where a queue would hold every widget request until Redis came back.
    enableOfflineQueue: false,
    // A reply lost to a dropped connection is not worth resending: the insurance limiter has answered.
    maxRetriesPerRequest: 0,
    // A Redis that accepts but does not answer must not stall messages either.
    commandTimeout: 500,
    connectTimeout: 2000,
    // Every widget message runs two limiter scripts: commands issued in the same tick share one
    // write, which halves Redis's and our syscalls under load.
    enableAutoPipelining: true,
  });
  let closed = false;
  let degraded = false;
  reportRedisErrors(client, log, "rate limits");
  client.on("ready", () => {
    if (degraded) log.info("rate limits: redis is back, limits are shared again");
    degraded = false;
  });

  // Until the first connection attempt ends, requests wait for it rather than counting per instance:
  // otherwise every boot would start with a moment of per-instance limits and a misleading warning.
  // ioredis ends that attempt by `connectTimeout` at the latest; an unreachable port fails at once.
  const firstAttempt = new Promise<void>((resolve) => {
    client.once("ready", resolve);
    client.once("error", resolve);
    client.once("end", resolve);
  });

  const onInsuranceUse = () => {
    if (degraded || closed) return;
    degraded = true;
    log.warn("rate limits: redis failed, counting per instance until it is back");
  };

  return {
    kind: "redis",
    limiter: (keyPrefix, window) =>
      new RateLimiterRedis({
        storeClient: client,
        // ioredis, not node-redis; said outright because the library guesses from the class name.
        useRedisPackage: false,
        // Go to the insurance limiter without sending while the connection is down.
        rejectIfRedisNotReady: true,
        keyPrefix,
        points: window.points,
        duration: window.seconds,
        insuranceLimiter: new InsuranceLimiter(window, onInsuranceUse),
      }),
    ready: firstAttempt,
    async close() {
      if (closed) return;
      closed = true;
      client.disconnect();
    },
  };
}

/** Limits in Redis with a client of their own (several of these act as several instances). */
export function redisRateLimits(
  url: string,
  log: Logger,
  policy: RateLimitPolicy = DEFAULT_RATE_LIMITS,
  options: { keyPrefix?: string } = {},
): RateLimits {
  const store = redisLimiterStore(url, log);
  return owningStore(store, rateLimitsIn(store, log, policy, options));
}
