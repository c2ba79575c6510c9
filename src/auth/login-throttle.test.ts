import { afterAll, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { silentLogger } from "../log/logger.ts";
import { cookieFrom, createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { memoryLoginThrottle, redisLoginThrottle } from "../testing/limits.ts";
import { waitInWords, type LoginThrottle } from "./login-throttle.ts";

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

describe(`the operator's sign-in limits (${storageMode})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: "true", LOGIN_ATTEMPTS_PER_EMAIL_AND_IP_PER_15_MINUTES: "2", LOGIN_ATTEMPTS_PER_IP_PER_15_MINUTES: "3" } });
    await t.post("/setup", ADMIN);
  });
  afterAll(() => t.close());

  const from = (ip: string) => ({ "x-forwarded-for": ip });

  test("LOGIN_ATTEMPTS_PER_EMAIL_AND_IP_PER_15_MINUTES=2: the third guess at one account from one /64 waits; another /64 may still try", async () => {
    expect((await t.post("/login", { email: ADMIN.email, password: "wrong 1" }, from("2001:db8:70:1::1"))).status).toBe(401);
    expect((await t.post("/login", { email: ADMIN.email, password: "wrong 2" }, from("2001:db8:70:1::2"))).status).toBe(401);
    const third = await t.post("/login", { email: ADMIN.email, password: "wrong 3" }, from("2001:db8:70:1:ffff::3"));
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(14 * 60);
    expect((await t.post("/login", { email: ADMIN.email, password: ADMIN.password }, from("2001:db8:70:2::1"))).status).toBe(303);
  });

  test("LOGIN_ATTEMPTS_PER_IP_PER_15_MINUTES=3: the fourth guess from one address, at any account, waits; its IPv4-mapped form is the same address", async () => {
    for (const [i, ip] of ["198.51.100.70", "::ffff:198.51.100.70", "198.51.100.70"].entries()) {
      expect((await t.post("/login", { email: `nobody${i}@example.com`, password: "guess" }, from(ip))).status).toBe(401);
    }
    expect((await t.post("/login", { email: "nobody9@example.com", password: "guess" }, from("::ffff:198.51.100.70"))).status).toBe(429);
    expect((await t.post("/login", { email: "nobody9@example.com", password: "guess" }, from("198.51.100.71"))).status).toBe(401);
  });
});

describe("the login throttle itself", () => {
  const short = { perEmailIp: { points: 2, seconds: 1 }, perIp: { points: 3, seconds: 1 } };

  /** In memory the window is measured by Date.now, which the test moves; Redis keeps its own time, so there it is waited out. */
  const windowPassesInMemory = async () => setSystemTime(new Date(Date.now() + 1100));
  const windowPassesInRedis = () => Bun.sleep(1100);

  async function exercise(throttle: LoginThrottle, prefix: string, windowPasses: () => Promise<unknown>) {
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
    await windowPasses();
    expect(await throttle.attempt(email, ip1)).toEqual({ ok: true });
    // Success forgets the account's count and gives back the IP's point.
    await throttle.attempt(email, ip1);
    await throttle.succeeded(email, ip1);
    expect(await throttle.attempt(email, ip1)).toEqual({ ok: true });
  }

  test("in memory: per email and address, per address, a window that passes, success resets", async () => {
    try {
      await exercise(memoryLoginThrottle(silentLogger, short), "mem", windowPassesInMemory);
    } finally {
      setSystemTime();
    }
  });

  test.skipIf(!process.env.TEST_REDIS_URL)("in Redis, the same", async () => {
    const throttle = redisLoginThrottle(process.env.TEST_REDIS_URL!, silentLogger, short);
    try {
      await exercise(throttle, `redis-${process.pid}-${Date.now()}`, windowPassesInRedis);
    } finally {
      await throttle.close();
    }
  });

  /** Guesses from anywhere in one /64 share one budget; an IPv4-mapped address shares its IPv4 address's. */
  async function exerciseGrouping(throttle: LoginThrottle, net: string, v4: string) {
    const perIpOnly = (i: number) => `sprayed-${i}-${net}@example.com`;
    // perIp is 3: three guesses at three accounts from three addresses of the /64 use it up.
    for (const [i, host] of ["::1", ":ffff::2", ":abcd:0:0:3"].entries()) expect(await throttle.attempt(perIpOnly(i), `${net}${host}`)).toEqual({ ok: true });
    expect(await throttle.attempt(perIpOnly(9), `${net}::9`)).toMatchObject({ ok: false });
    // Per account and address, too: two addresses of the /64 are one address.
    const email = `one-${net}@example.com`;
    const otherNet = `${net.slice(0, net.lastIndexOf(":"))}:${(parseInt(net.slice(net.lastIndexOf(":") + 1), 16) + 1).toString(16)}`;
    expect(await throttle.attempt(email, `${otherNet}::1`)).toEqual({ ok: true });
    expect(await throttle.attempt(email, `${otherNet}::2`)).toEqual({ ok: true });
    expect(await throttle.attempt(email, `${otherNet}::3`)).toMatchObject({ ok: false });

    for (let i = 0; i < 2; i++) expect(await throttle.attempt(`mapped-${i}-${v4}@example.com`, v4)).toEqual({ ok: true });
    expect(await throttle.attempt(`mapped-2-${v4}@example.com`, `::ffff:${v4}`)).toEqual({ ok: true });
    expect(await throttle.attempt(`mapped-3-${v4}@example.com`, `::ffff:${v4}`)).toMatchObject({ ok: false });
    expect(await throttle.attempt(`mapped-4-${v4}@example.com`, v4)).toMatchObject({ ok: false });
  }

  // Long windows here: these tests must not see a window end.
  const grouping = { perEmailIp: { points: 2, seconds: 600 }, perIp: { points: 3, seconds: 600 } };

  test("in memory: IPv6 addresses count by /64, an IPv4-mapped address as its IPv4 address", async () => {
    await exerciseGrouping(memoryLoginThrottle(silentLogger, grouping), "2001:db8:50:60", "192.0.2.50");
  });

  test.skipIf(!process.env.TEST_REDIS_URL)("in Redis: IPv6 addresses count by /64, an IPv4-mapped address as its IPv4 address", async () => {
    const throttle = redisLoginThrottle(process.env.TEST_REDIS_URL!, silentLogger, grouping);
    // Addresses of their own per run: Redis keeps counts between runs for the window.
    const run = (Date.now() % 0xffff).toString(16);
    const v4 = `10.${(process.pid >> 8) & 0xff}.${process.pid & 0xff}.${Date.now() % 250}`;
    try {
      await exerciseGrouping(throttle, `2001:db8:${run}:60`, v4);
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
