import { describe, expect, setSystemTime, test } from "bun:test";
import { createLogger, silentLogger } from "../log/logger.ts";
import { LIMIT_NAMES } from "./policy.ts";
import { memoryRateLimits, redisRateLimits } from "../testing/limits.ts";
import { type LimitName, type LimitWindow, type LimitVerdict, type RateLimitPolicy, type RateLimits } from "./rate-limits.ts";

/** The same windows for every limit. */
function policyOf(perContact: LimitWindow, perIp: LimitWindow): RateLimitPolicy {
  return Object.fromEntries(LIMIT_NAMES.map((name) => [name, { perContact, perIp }])) as RateLimitPolicy;
}

/** Small budgets so that a test reaches them: 3 per contact and 5 per IP per minute. */
const SMALL = policyOf({ points: 3, seconds: 60 }, { points: 5, seconds: 60 });

async function takeTimesOf(limits: RateLimits, name: LimitName, times: number, keys: { contact?: string | null; ip?: string | null }): Promise<LimitVerdict[]> {
  const verdicts: LimitVerdict[] = [];
  for (let i = 0; i < times; i++) verdicts.push(await limits.take(name, keys));
  return verdicts;
}

const takeTimes = (limits: RateLimits, times: number, keys: { contact?: string | null; ip?: string | null }) => takeTimesOf(limits, "message", times, keys);

const allowed: LimitVerdict = { ok: true };

/**
 * Per-IP budgets (5 per minute in SMALL) are shared by a /64, not by one IPv6 address, and an
 * IPv4-mapped address spends its IPv4 address's budget. `net` is a /64 (4 groups) and `v4` an IPv4
 * address that no other test uses.
 */
async function exerciseAddressGrouping(limits: RateLimits, net: string, v4: string) {
  expect(await takeTimes(limits, 3, { ip: `${net}::1` })).toEqual([allowed, allowed, allowed]);
  expect(await takeTimes(limits, 2, { ip: `${net}:ffff:ffff:ffff:ffff` })).toEqual([allowed, allowed]);
  expect((await limits.take("message", { ip: `${net}::2` })).ok).toBe(false);
  // The next /64 over has a budget of its own.
  const [head, last] = [net.slice(0, net.lastIndexOf(":")), net.slice(net.lastIndexOf(":") + 1)];
  const nextNet = `${head}:${(parseInt(last, 16) + 1).toString(16)}`;
  expect(await limits.take("message", { ip: `${nextNet}::1` })).toEqual(allowed);

  expect(await takeTimes(limits, 3, { ip: v4 })).toEqual([allowed, allowed, allowed]);
  expect(await takeTimes(limits, 2, { ip: `::ffff:${v4}` })).toEqual([allowed, allowed]);
  expect((await limits.take("message", { ip: v4 })).ok).toBe(false);
  expect((await limits.take("message", { ip: `::ffff:${v4}` })).ok).toBe(false);
}

function retryAfterOf(verdict: LimitVerdict): number {
  if (verdict.ok) throw new Error("expected a refusal");
  return verdict.retryAfter;
}

describe("rate limits in memory", () => {
  test("the 4th message from one contact within the window is refused with a wait inside the window", async () => {
    const limits = memoryRateLimits(SMALL);
    expect(await takeTimes(limits, 3, { contact: "c1", ip: "10.0.0.1" })).toEqual([allowed, allowed, allowed]);
    const refused = await limits.take("message", { contact: "c1", ip: "10.0.0.1" });
    expect(refused.ok).toBe(false);
    expect(retryAfterOf(refused)).toBeGreaterThanOrEqual(1);
    expect(retryAfterOf(refused)).toBeLessThanOrEqual(60);
    expect(Number.isInteger(retryAfterOf(refused))).toBe(true);
  });

  test("another contact on the same IP is allowed until the IP's bucket is empty", async () => {
    const limits = memoryRateLimits(SMALL);
    await takeTimes(limits, 3, { contact: "c1", ip: "10.0.0.1" });
    // The IP has 2 of its 5 points left.
    expect(await takeTimes(limits, 2, { contact: "c2", ip: "10.0.0.1" })).toEqual([allowed, allowed]);
    expect((await limits.take("message", { contact: "c2", ip: "10.0.0.1" })).ok).toBe(false);
    // A fresh contact gains nothing on that IP, and the same contact elsewhere is unaffected.
    expect((await limits.take("message", { contact: "c3", ip: "10.0.0.1" })).ok).toBe(false);
    expect(await limits.take("message", { contact: "c2", ip: "10.0.0.2" })).toEqual(allowed);
  });

  test("a contact hammering past its limit does not use up its IP's budget for others", async () => {
    const limits = memoryRateLimits(SMALL);
    await takeTimes(limits, 3, { contact: "c1", ip: "10.0.0.1" });
    const hammering = await takeTimes(limits, 10, { contact: "c1", ip: "10.0.0.1" });
    expect(hammering.every((v) => !v.ok)).toBe(true);
    // Only the 3 accepted messages count against the IP.
    expect(await takeTimes(limits, 2, { contact: "c2", ip: "10.0.0.1" })).toEqual([allowed, allowed]);
  });

  test("requests refused for a busy IP do not use up the contact's own budget", async () => {
    const limits = memoryRateLimits(SMALL);
    await takeTimes(limits, 5, { ip: "10.0.0.1" });
    const refused = await takeTimes(limits, 3, { contact: "c1", ip: "10.0.0.1" });
    expect(refused.every((v) => !v.ok)).toBe(true);
    expect(await takeTimes(limits, 3, { contact: "c1", ip: "10.0.0.2" })).toEqual([allowed, allowed, allowed]);
  });

  test("when both buckets are empty, the wait is the longer of the two", async () => {
    const limits = memoryRateLimits(policyOf({ points: 1, seconds: 60 }, { points: 1, seconds: 10 }));
    expect(await limits.take("message", { contact: "c1", ip: "10.0.0.1" })).toEqual(allowed);
    const refused = await limits.take("message", { contact: "c1", ip: "10.0.0.1" });
    expect(retryAfterOf(refused)).toBeGreaterThan(10);
    expect(retryAfterOf(refused)).toBeLessThanOrEqual(60);
    // With only the IP's bucket empty, the wait is the IP's.
    const ipOnly = await limits.take("message", { contact: "c2", ip: "10.0.0.1" });
    expect(retryAfterOf(ipOnly)).toBeLessThanOrEqual(10);
  });

  test("each limit has its own buckets", async () => {
    const limits = memoryRateLimits(SMALL);
    await takeTimes(limits, 3, { contact: "c1", ip: "10.0.0.1" });
    expect((await limits.take("message", { contact: "c1", ip: "10.0.0.1" })).ok).toBe(false);
    expect(await limits.take("conversation", { contact: "c1", ip: "10.0.0.1" })).toEqual(allowed);
    expect(await limits.take("session", { ip: "10.0.0.1" })).toEqual(allowed);
  });

  test("a null or missing key is not counted", async () => {
    const limits = memoryRateLimits(SMALL);
    // 5 IP-only takes empty the IP's bucket but leave every contact's alone.
    expect(await takeTimes(limits, 5, { contact: null, ip: "10.0.0.1" })).toEqual(Array(5).fill(allowed));
    expect((await limits.take("message", { ip: "10.0.0.1" })).ok).toBe(false);
    expect(await takeTimes(limits, 3, { contact: "c1", ip: null })).toEqual([allowed, allowed, allowed]);
    expect((await limits.take("message", { contact: "c1" })).ok).toBe(false);
    expect(await takeTimes(limits, 20, {})).toEqual(Array(20).fill(allowed));
  });

  test("a refused contact is allowed again once its window has passed", async () => {
    const limits = memoryRateLimits(policyOf({ points: 1, seconds: 1 }, { points: 100, seconds: 60 }));
    expect(await limits.take("message", { contact: "c1", ip: "10.0.0.1" })).toEqual(allowed);
    const refused = await limits.take("message", { contact: "c1", ip: "10.0.0.1" });
    expect(retryAfterOf(refused)).toBe(1);
    // The memory store measures its window by Date.now: moved past it, not waited out.
    try {
      setSystemTime(new Date(Date.now() + 1100));
      expect(await limits.take("message", { contact: "c1", ip: "10.0.0.1" })).toEqual(allowed);
    } finally {
      setSystemTime();
    }
  });

  test("IPv6 addresses share a budget per /64; an IPv4-mapped address shares its IPv4 address's", async () => {
    await exerciseAddressGrouping(memoryRateLimits(SMALL), "2001:db8:10:20", "192.0.2.10");
  });

  test("the frame and fallback limits have buckets of their own", async () => {
    const limits = memoryRateLimits(SMALL);
    const keys = { contact: "c1", ip: "10.0.0.1" };
    for (const name of ["history", "read", "typing", "handoff"] as const) {
      expect(await takeTimesOf(limits, name, 3, keys)).toEqual([allowed, allowed, allowed]);
      expect((await limits.take(name, keys)).ok).toBe(false);
    }
    expect(await limits.take("message", keys)).toEqual(allowed);
  });

  test("a limit without a per-contact window counts only the IP", async () => {
    const limits = memoryRateLimits({ ...SMALL, session: { perContact: null, perIp: { points: 5, seconds: 60 } } });
    // Five sessions of one contact: the contact is not counted, the IP is.
    expect(await takeTimesOf(limits, "session", 5, { contact: "c1", ip: "10.0.0.1" })).toEqual(Array(5).fill(allowed));
    expect((await limits.take("session", { contact: "c2", ip: "10.0.0.1" })).ok).toBe(false);
    expect(await limits.take("session", { contact: "c1", ip: "10.0.0.2" })).toEqual(allowed);
  });

  test("a policy whose window would never refill is refused at start", () => {
    expect(() => memoryRateLimits(policyOf({ points: 3, seconds: 0 }, { points: 5, seconds: 60 }))).toThrow(/seconds/);
    expect(() => memoryRateLimits(policyOf({ points: 3, seconds: 60 }, { points: 0.5, seconds: 60 }))).toThrow(/points/);
  });
});

const redisUrl = process.env.TEST_REDIS_URL;

describe.if(Boolean(redisUrl))("rate limits in Redis", () => {
  // A fresh prefix per run, so that earlier runs' counters (they expire within a minute) cannot interfere.
  const runPrefix = `supportdesk-test:rl:${process.pid}:${Date.now()}`;
  let testNumber = 0;
  const uniquePrefix = () => `${runPrefix}:${++testNumber}`;

  function captureLog() {
    const lines: { level: string; msg: string }[] = [];
    const log = createLogger({ level: "debug", format: "json" }, (line) => lines.push(JSON.parse(line)));
    return { log, lines };
  }

  test("two instances share one budget", async () => {
    const { log, lines } = captureLog();
    const keyPrefix = uniquePrefix();
    const a = redisRateLimits(redisUrl!, log, SMALL, { keyPrefix });
    const b = redisRateLimits(redisUrl!, log, SMALL, { keyPrefix });
    try {
      expect(await takeTimes(a, 2, { contact: "c1", ip: "10.0.0.1" })).toEqual([allowed, allowed]);
      expect(await takeTimes(b, 1, { contact: "c1", ip: "10.0.0.1" })).toEqual([allowed]);
      const onA = await a.take("message", { contact: "c1", ip: "10.0.0.1" });
      const onB = await b.take("message", { contact: "c1", ip: "10.0.0.1" });
      expect(retryAfterOf(onA)).toBeGreaterThanOrEqual(1);
      expect(retryAfterOf(onA)).toBeLessThanOrEqual(60);
      expect(onB.ok).toBe(false);
      // The refused takes gave their IP points back: the IP has 2 of 5 left, whichever instance asks.
      expect(await a.take("message", { contact: "c2", ip: "10.0.0.1" })).toEqual(allowed);
      expect(await b.take("message", { contact: "c3", ip: "10.0.0.1" })).toEqual(allowed);
      expect((await a.take("message", { contact: "c4", ip: "10.0.0.1" })).ok).toBe(false);
      expect(lines.filter((l) => l.level === "warn")).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("two instances share one budget per /64 and per IPv4 address, mapped or not", async () => {
    const keyPrefix = uniquePrefix();
    const a = redisRateLimits(redisUrl!, silentLogger, SMALL, { keyPrefix });
    const b = redisRateLimits(redisUrl!, silentLogger, SMALL, { keyPrefix });
    try {
      // Alternating instances: whichever one counts, the /64 and the IPv4 address have one budget.
      let turn = 0;
      const both: RateLimits = { take: (name, keys) => (turn++ % 2 ? a : b).take(name, keys), close: async () => {} };
      await exerciseAddressGrouping(both, "2001:db8:30:40", "192.0.2.30");
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("with Redis unreachable, each instance still limits on its own, quickly and without throwing", async () => {
    const { log, lines } = captureLog();
    // Nothing listens on port 1, so every connection attempt is refused.
    const limits = redisRateLimits("redis://127.0.0.1:1", log, SMALL, { keyPrefix: uniquePrefix() });
    try {
      const started = performance.now();
      const verdicts = await takeTimes(limits, 4, { contact: "c1", ip: "10.0.0.1" });
      const elapsedMs = performance.now() - started;
      expect(verdicts.slice(0, 3)).toEqual([allowed, allowed, allowed]);
      expect(retryAfterOf(verdicts[3]!)).toBeGreaterThanOrEqual(1);
      expect(retryAfterOf(verdicts[3]!)).toBeLessThanOrEqual(60);
      expect(elapsedMs).toBeLessThan(1000);
      // Operators hear about it once, not once per request.
      const warnings = lines.filter((l) => l.level === "warn").map((l) => l.msg);
      expect(warnings.filter((m) => m.includes("counting per instance"))).toHaveLength(1);
      expect(warnings.filter((m) => m.includes("redis unavailable"))).toHaveLength(1);
    } finally {
      await limits.close();
      await limits.close();
    }
  });
});
