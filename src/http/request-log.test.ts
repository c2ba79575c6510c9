import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cookieFrom, createTestApp, type TestApp } from "../testing/test-app.ts";
import { waitFor } from "../testing/recording-sockets.ts";

const PASSWORD = "a very secret password";

describe("request log", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LOG_FORMAT: "json", LOG_LEVEL: "info" } });
    await t.post("/setup", { name: "Ana", email: "ana@example.com", password: PASSWORD });
    await logged(1); // the setup's line, before a test clears the log
  });
  afterAll(() => t.close());

  const lines = () => t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === "request");
  /** The log line is written after the response is handed back: wait for the `n` lines expected. */
  const logged = (n: number) => waitFor(`${n} request log lines`, () => lines().length >= n);

  test("writes one JSON line per request with method, route, status and duration", async () => {
    t.logs.length = 0;
    await t.request("/login?next=%2Finbox");
    await t.request("/no-such-page");
    await t.request("/ana@x.io/pw=1");
    await logged(3);
    const [login, missing] = lines();
    expect(login).toMatchObject({ level: "info", method: "GET", route: "/login", status: 200 });
    expect(login!.ms).toBeNumber();
    expect(login!.time).toBeString();
    expect(missing).toMatchObject({ method: "GET", route: "/no-such-page", status: 404 });
    // A path no route knows is logged with what may be personal (an address, a parameter) masked.
    expect(lines()[2]).toMatchObject({ route: "/:masked/:masked", status: 404 });
    expect(lines()).toHaveLength(3);
  });

  test("logs the status of redirects and refusals", async () => {
    t.logs.length = 0;
    await t.request("/inbox");
    await t.post("/login", { email: "x@y.z", password: "p" }, { origin: "https://evil.example" });
    await logged(2);
    expect(lines().map((l) => l.status)).toEqual([303, 403]);
  });

  test("never contains passwords, session tokens or query strings", async () => {
    t.logs.length = 0;
    const res = await t.post("/login?token=query-secret", { email: "ana@example.com", password: PASSWORD });
    const cookie = cookieFrom(res, "sd_session")!;
    await t.request("/inbox", { headers: { cookie } });
    await logged(2);
    const text = t.logs.join("\n");
    expect(lines().length).toBe(2);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(cookie.split("=")[1]!);
    expect(text).not.toContain("query-secret");
  });

  test("health probes are logged only at debug level", async () => {
    t.logs.length = 0;
    await t.request("/health");
    // A barrier: once the next request's line is written, the probe's would have been too.
    await t.request("/login");
    await logged(1);
    expect(lines().map((l) => l.route)).toEqual(["/login"]);
  });
});
