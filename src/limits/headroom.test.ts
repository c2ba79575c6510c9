import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Redis from "ioredis";
import { RateLimiterRes } from "rate-limiter-flexible";
import { silentLogger } from "../log/logger.ts";
import { headroomLimiter } from "./headroom.ts";
import type { Limiter } from "./limiter-store.ts";
import { redisLimiterStore } from "./redis-store.ts";

const redisUrl = process.env.TEST_REDIS_URL;

/** A limiter whose calls reach Redis only while the gate is open: the test decides when Redis "answers". */
function gated(inner: Limiter) {
  let open: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  const state = { answered: 0 };
  const limiter: Limiter = {
    consume: (key, points, options) => gate.then(() => inner.consume(key, points, options)).finally(() => state.answered++),
    reward: (key, points, options) => gate.then(() => inner.reward(key, points, options)),
    delete: (key, options) => gate.then(() => inner.delete(key, options)),
  };
  return {
    limiter,
    state,
    /** Resolves once Redis has answered `count` takes and their answers were handled. */
    async answered(count: number) {
      while (state.answered < count) await new Promise((resolve) => setTimeout(resolve, 1));
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
    close: () => (gate = new Promise<void>((resolve) => (open = resolve))),
    open: () => open(),
  };
}

/** Whether `promise` settles while nothing else can happen (the gate closed): a macrotask later. */
async function settlesNow(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 0));
  return settled;
}

describe.if(Boolean(redisUrl))("headroom limiter on Redis", () => {
  const store = redisLimiterStore(redisUrl!, silentLogger);
  const prefix = `supportdesk-test:headroom:${process.pid}:${Date.now()}`;
  let n = 0;
  const fresh = (points: number) => {
    const keyPrefix = `${prefix}:${++n}`;
    return { keyPrefix, window: { points, seconds: 60 }, shared: store.limiter(keyPrefix, { points, seconds: 60 }) };
  };
  // Until connected, the store counts in memory (its insurance): these tests are about Redis.
  beforeAll(() => store.ready);
  afterAll(() => store.close());

  test("far from the limit, a take is answered without waiting for Redis, and Redis still counts it", async () => {
    const { keyPrefix, window, shared } = fresh(100);
    const redis = gated(shared);
    const limiter = headroomLimiter(redis.limiter, window);

    redis.close();
    const first = limiter.consume("visitor");
    // The first take of a key waits for Redis: nothing is known yet.
    expect(await settlesNow(first)).toBe(false);
    redis.open();
    expect((await first).remainingPoints).toBe(99);

    redis.close();
    const second = limiter.consume("visitor");
    expect(await settlesNow(second)).toBe(true);
    expect((await second).remainingPoints).toBe(98);
    redis.open();
    // The background count lands: Redis holds both points.
    await redis.answered(2);
    expect(await pointsIn(keyPrefix, "visitor")).toBe(2);
  });

  test("near the limit every take waits for Redis again, and the last point is Redis's to give", async () => {
    const { window, shared } = fresh(10);
    const redis = gated(shared);
    const limiter = headroomLimiter(redis.limiter, window);
    for (let i = 0; i < 7; i++) await limiter.consume("visitor");
    redis.close();
    // 3 left, margin 2: taking one would leave 2, not more than the margin.
    const eighth = limiter.consume("visitor");
    expect(await settlesNow(eighth)).toBe(false);
    redis.open();
    await eighth;
    await limiter.consume("visitor");
    await limiter.consume("visitor");
    await expect(limiter.consume("visitor")).rejects.toBeInstanceOf(RateLimiterRes);
  });

  test("points another instance took are noticed after one take at most", async () => {
    const { window, shared } = fresh(20);
    const redis = gated(shared);
    const a = headroomLimiter(redis.limiter, window);
    await a.consume("office-ip"); // A now believes 19 are left
    // Instance B (no shortcut) spends the rest of the bucket.
    for (let i = 0; i < 19; i++) await shared.consume("office-ip");
    // A's belief lets one more through (the documented overshoot), and its count in Redis is refused...
    await a.consume("office-ip");
    await redis.answered(2);
    // ...which A has learnt: the next take asks Redis and is refused.
    redis.close();
    const next = a.consume("office-ip");
    expect(await settlesNow(next)).toBe(false);
    redis.open();
    await expect(next).rejects.toBeInstanceOf(RateLimiterRes);
  });

  test("a belief ends with its window: the first take after it waits for Redis", async () => {
    const { window, shared } = fresh(100);
    let now = 1_000_000;
    const redis = gated(shared);
    const limiter = headroomLimiter(redis.limiter, window, () => now);
    await limiter.consume("visitor");
    now += 61_000;
    redis.close();
    const later = limiter.consume("visitor");
    expect(await settlesNow(later)).toBe(false);
    redis.open();
    await later;
  });
});

/** The points counted under a key, read straight from Redis (rate-limiter-flexible keeps a plain counter). */
async function pointsIn(keyPrefix: string, key: string): Promise<number> {
  const client = new Redis(redisUrl!);
  try {
    return Number(await client.get(`${keyPrefix}:${key}`));
  } finally {
    client.disconnect();
  }
}
