import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cookieFrom, createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

type Outcome = { opened: boolean; messages: string[]; closeCode?: number };

/** Connects, collects what arrives for a moment, then closes. */
function connect(url: string, headers: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    const outcome: Outcome = { opened: false, messages: [] };
    const ws = new WebSocket(url, { headers } as unknown as string[]);
    ws.onopen = () => {
      outcome.opened = true;
      setTimeout(() => ws.close(), 150);
    };
    ws.onmessage = (e) => outcome.messages.push(String(e.data));
    ws.onclose = (e) => resolve({ ...outcome, closeCode: e.code });
  });
}

describe(`agents' socket (${storageMode})`, () => {
  let t: TestApp;
  let url: string;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.post("/setup", { name: "Ana", email: "ana@example.com", password: "12345678" });
    cookie = cookieFrom(await t.post("/login", { email: "ana@example.com", password: "12345678" }), "sd_session")!;
    t.app.listen({ port: 0, hostname: "127.0.0.1", reusePort: false });
    url = `ws://127.0.0.1:${t.app.server!.port}/ws/inbox`;
  });
  afterAll(async () => {
    await t.app.stop(true);
    await t.close();
  });

  test("a signed-in agent on our origin is connected and told the inbox is live", async () => {
    const outcome = await connect(url, { cookie, origin: TEST_ORIGIN });
    expect(outcome.opened).toBe(true);
    expect(outcome.messages).toHaveLength(1);
    expect(outcome.messages[0]).toContain('id="live-status"');
    expect(outcome.messages[0]).toContain('hx-swap-oob="true"');
    expect(outcome.messages[0]).toContain(">Live<");
  });

  test("no session, no socket", async () => {
    const outcome = await connect(url, { origin: TEST_ORIGIN });
    expect(outcome.opened).toBe(false);
  });

  test("a page on another origin cannot use the agent's cookie to connect", async () => {
    expect((await connect(url, { cookie, origin: "https://evil.example" })).opened).toBe(false);
    expect((await connect(url, { cookie })).opened).toBe(false);
  });

  test("closed sockets leave the registry", async () => {
    await connect(url, { cookie, origin: TEST_ORIGIN });
    await Bun.sleep(50);
    expect(t.ctx.sockets.size).toBe(0);
  });
});
