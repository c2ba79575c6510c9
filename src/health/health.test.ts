import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { postgresDatabase } from "../db/postgres.ts";
import { silentLogger } from "../log/logger.ts";
import { inProcessBus } from "../realtime/bus.ts";
import { redisProbe, type RedisProbe } from "../realtime/redis.ts";
import { waitFor } from "../testing/recording-sockets.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

const testRedisUrl = process.env.TEST_REDIS_URL?.trim() || null;

describe(`health (${storageMode})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test("/health answers 200 while the process serves", async () => {
    const res = await t.request("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  test("/ready answers 200 when the database answers and Redis is not configured", async () => {
    const res = await t.request("/ready");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: "ready",
      checks: { database: "ok", redis: "not configured", subscription: "not configured" },
    });
  });

  test("/ready answers 503 naming the database when PostgreSQL is unreachable", async () => {
    // Port 9 (discard) on loopback: nothing listens there, so connecting fails at once.
    const unreachable = postgresDatabase("postgres://sd@127.0.0.1:9/sd", { connectTimeout: 1 });
    const broken = await createTestApp({ database: { ...unreachable, url: null } as never });
    try {
      const res = await broken.request("/ready");
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.status).toBe("unavailable");
      expect(body.failed).toEqual(["database"]);
      expect(body.checks.database.error).toBeString();
      expect(body.checks.redis).toBe("not configured");
      // Liveness does not depend on the database.
      expect((await broken.request("/health")).status).toBe(200);
    } finally {
      await unreachable.close();
      await broken.close();
    }
  });

  test("/ready answers 503 naming Redis when Redis is configured but unreachable", async () => {
    const redis = redisProbe("redis://127.0.0.1:9", silentLogger);
    const app = await createTestApp({ redis });
    try {
      const res = await app.request("/ready");
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.failed).toEqual(["redis"]);
      expect(body.checks.database).toBe("ok");
    } finally {
      await redis.close();
      await app.close();
    }
  });

  test.if(testRedisUrl !== null)("/ready answers 200 when the database, Redis and this instance's subscription answer", async () => {
    const redis = redisProbe(testRedisUrl!, silentLogger);
    const app = await createTestApp({ redis, env: { REDIS_URL: testRedisUrl!, SESSION_SECRET: "s".repeat(32) } });
    try {
      // The subscription is confirmed by the first heartbeat that comes back.
      const res = await waitFor("/ready to answer 200", async () => {
        const answer = await app.request("/ready");
        return answer.status === 200 && answer;
      }, 4000);
      expect((await res.json()).checks).toEqual({ database: "ok", redis: "ok", subscription: "ok" });
    } finally {
      await redis.close();
      await app.close();
    }
  });

  test("/ready answers 503 naming the subscription when this instance no longer hears Redis", async () => {
    const redis: RedisProbe = { ping: async () => {}, close: async () => {} };
    const bus = { ...inProcessBus(), health: () => ({ ok: false as const, reason: "redis subscription lost" }) };
    const app = await createTestApp({ redis, bus });
    try {
      const res = await app.request("/ready");
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.failed).toEqual(["subscription"]);
      expect(body.checks.subscription).toEqual({ error: "redis subscription lost" });
    } finally {
      await redis.close();
      await app.close();
    }
  });
});
