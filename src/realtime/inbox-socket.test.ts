import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect as tcpConnect } from "node:net";
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
    url = `${t.listen().replace("http", "ws")}/ws/inbox`;
  });
  afterAll(() => t.close());

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

  test("an agent counts as online while any of their sockets is open", async () => {
    const agentId = (await t.ctx.presence.onlineAgentIds()).size;
    expect(agentId).toBe(0);
    const first = new WebSocket(url, { headers: { cookie, origin: TEST_ORIGIN } } as unknown as string[]);
    await new Promise((resolve) => (first.onopen = resolve));
    const second = new WebSocket(url, { headers: { cookie, origin: TEST_ORIGIN } } as unknown as string[]);
    await new Promise((resolve) => (second.onopen = resolve));
    expect((await t.ctx.presence.onlineAgentIds()).size).toBe(1);
    first.close();
    await Bun.sleep(50);
    expect((await t.ctx.presence.onlineAgentIds()).size).toBe(1);
    second.close();
    await Bun.sleep(50);
    expect((await t.ctx.presence.onlineAgentIds()).size).toBe(0);
  });

  test("a socket that stops reading is closed once 1 MiB is waiting for it, instead of buffering without bound", async () => {
    const { port } = new URL(url);
    // A client that completes the upgrade and then never reads another byte.
    const stalled = tcpConnect({ host: "127.0.0.1", port: Number(port) });
    await new Promise((resolve) => stalled.once("connect", resolve));
    stalled.write(
      `GET /ws/inbox HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: ${TEST_ORIGIN}\r\nCookie: ${cookie}\r\n\r\n`,
    );
    await new Promise((resolve) => stalled.once("data", resolve));
    stalled.pause();
    await Bun.sleep(50);
    expect(t.ctx.sockets.size).toBe(1);
    const chunk = `<div id="flood">${"x".repeat(60 * 1024)}</div>`;
    for (let i = 0; i < 600 && t.ctx.sockets.size > 0; i++) {
      t.ctx.bus.publish("inbox", chunk);
      if (i % 50 === 0) await Bun.sleep(10);
    }
    await Bun.sleep(100);
    expect(t.ctx.sockets.size).toBe(0);
    stalled.destroy();
  });
});
