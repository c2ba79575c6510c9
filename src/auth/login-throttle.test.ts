import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { silentLogger } from "../log/logger.ts";
import { cookieFrom, createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { memoryLoginThrottle, redisLoginThrottle, waitInWords, type LoginThrottle } from "./login-throttle.ts";

const ADMIN = { name: "Ana", email: "ana@example.com", password: "correct horse" };

describe(`repeated failed sign-ins (${storageMode})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.post("/setup", ADMIN);
  });
  afterAll(() => t.close());

  test("five wrong passwords are answered 401; the sixth 429 with Retry-After, and then even the right password waits", async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.post("/login", { email: ADMIN.email, password: `wrong ${i}` });
      expect(res.status).toBe(401);
    }
    const sixth = await t.post("/login", { email: ADMIN.email, password: "wrong 6" });
    expect(sixth.status).toBe(429);
    const retryAfter = Number(sixth.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    const page = await sixth.text();
    expect(page).toContain("Too many attempts. Try again in 15 minutes.");
    expect(page).toContain('value="ana@example.com"');

    const right = await t.post("/login", { email: "ANA@example.com", password: ADMIN.password });
    expect(right.status).toBe(429);
    expect(cookieFrom(right, "sd_session")).toBeNull();
    expect(t.logs.some((l) => l.includes("sign-in throttled"))).toBe(true);
  });

  test("a sign-in that succeeds clears the account's count", async () => {
    const other = await createTestApp();
    try {
      await other.post("/setup", ADMIN);
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 4; i++) expect((await other.post("/login", { email: ADMIN.email, password: "nope" })).status).toBe(401);
        expect((await other.post("/login", { email: ADMIN.email, password: ADMIN.password })).status).toBe(303);
      }
    } finally {
      await other.close();
    }
  });
});

describe("the login throttle itself", () => {
  const short = { perEmailIp: { points: 2, seconds: 1 }, perIp: { points: 3, seconds: 1 } };

  async function exercise(throttle: LoginThrottle, prefix: string) {
    const email = `${prefix}@example.com`;
    // Addresses of their own per run: Redis keeps counts between test runs for the window.
    const [ip1, ip2] = [`${prefix}-ip1`, `${prefix}-ip2`];
    expect(await throttle.attempt(email, ip1)).toEqual({ ok: true });
    expect(await throttle.attempt(email, ip1)).toEqual({ ok: true });
    expect(await throttle.attempt(email, ip1)).toEqual({ ok: false, retryAfter: 1 });
    // Another address is counted apart; the IP's own budget (3) is then spent as well.
    expect(await throttle.attempt(email, ip2)).toEqual({ ok: true });
    expect(await throttle.attempt(`other-${email}`, ip1)).toMatchObject({ ok: false });
    // The window passes.
    await Bun.sleep(1100);
    expect(await throttle.attempt(email, ip1)).toEqual({ ok: true });
    // Success forgets the account's count and gives back the IP's point.
    await throttle.attempt(email, ip1);
    await throttle.succeeded(email, ip1);
    expect(await throttle.attempt(email, ip1)).toEqual({ ok: true });
  }

  test("in memory: per email and address, per address, a window that passes, success resets", async () => {
    await exercise(memoryLoginThrottle(silentLogger, short), "mem");
  });

  test.skipIf(!process.env.TEST_REDIS_URL)("in Redis, the same", async () => {
    const throttle = redisLoginThrottle(process.env.TEST_REDIS_URL!, silentLogger, short);
    try {
      await exercise(throttle, `redis-${process.pid}-${Date.now()}`);
    } finally {
      await throttle.close();
    }
  });

  test("the wait is said in whole minutes", () => {
    expect(waitInWords(1)).toBe("1 minute");
    expect(waitInWords(60)).toBe("1 minute");
    expect(waitInWords(61)).toBe("2 minutes");
    expect(waitInWords(900)).toBe("15 minutes");
  });
});
