import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { signedInAdmin } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { wsUrl } from "../testing/widget-client.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";
import { SocketCap } from "./socket-cap.ts";
import { eventually } from "../testing/eventually.ts";

describe("a socket cap", () => {
  test("holds up to its limit per address, and a closed socket frees its slot", () => {
    const cap = new SocketCap(2);
    const [a, b, c] = [{}, {}, {}];
    expect(cap.claim(a, "198.51.100.7")).toBe(true);
    expect(cap.hasRoom("198.51.100.7")).toBe(true);
    expect(cap.claim(b, "198.51.100.7")).toBe(true);
    expect(cap.hasRoom("198.51.100.7")).toBe(false);
    expect(cap.claim(c, "198.51.100.7")).toBe(false);
    // Another address has its own slots.
    expect(cap.claim(c, "198.51.100.8")).toBe(true);
    expect(cap.release(a)).toBe(true);
    expect(cap.hasRoom("198.51.100.7")).toBe(true);
    expect(cap.claim({}, "198.51.100.7")).toBe(true);
  });

  test("a socket refused at claim frees nothing, and a socket counts once", () => {
    const cap = new SocketCap(1);
    const [a, b] = [{}, {}];
    expect(cap.claim(a, "10.0.0.1")).toBe(true);
    expect(cap.claim(a, "10.0.0.1")).toBe(true);
    expect(cap.claim(b, "10.0.0.1")).toBe(false);
    expect(cap.release(b)).toBe(false);
    expect(cap.openFrom("10.0.0.1")).toBe(1);
    expect(cap.release(a)).toBe(true);
    expect(cap.release(a)).toBe(false);
    expect(cap.openFrom("10.0.0.1")).toBe(0);
  });

  test("IPv6 addresses count by /64, an IPv4-mapped address as its IPv4 address", () => {
    const cap = new SocketCap(2);
    expect(cap.claim({}, "2001:db8:1:2::a")).toBe(true);
    expect(cap.claim({}, "2001:db8:1:2:ffff::b")).toBe(true);
    expect(cap.hasRoom("2001:db8:1:2::c")).toBe(false);
    expect(cap.hasRoom("2001:db8:1:3::a")).toBe(true);

    expect(cap.claim({}, "198.51.100.7")).toBe(true);
    expect(cap.claim({}, "::ffff:198.51.100.7")).toBe(true);
    expect(cap.hasRoom("198.51.100.7")).toBe(false);
  });
});

/** The status a server answers a WebSocket upgrade with, read off the wire (clients hide a refusal's status). */
function upgradeStatus(base: string, path: string, headers: Record<string, string>): Promise<number> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      const head = [
        `GET ${url.pathname} HTTP/1.1`,
        `Host: ${url.host}`,
        "Connection: Upgrade",
        "Upgrade: websocket",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      ];
      socket.write(`${head.join("\r\n")}\r\n\r\n`);
    });
    let received = "";
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (!status) return;
      socket.destroy();
      resolve(Number(status[1]));
    });
    socket.on("error", reject);
  });
}

/** Addresses of a /64 of its own, so that tests do not share budgets. */
let networks = 0;
const network = () => `2001:db8:${(++networks).toString(16)}:${(process.pid % 0xffff).toString(16)}`;

describe(`open sockets per IP (${storageMode})`, () => {
  let t: TestApp;
  let base: string;
  let cookie: string;
  const open: TestSocket[] = [];

  beforeAll(async () => {
    // Addresses come from X-Forwarded-For, as behind a proxy, so that a test can be several clients.
    t = await createTestApp({ env: { TRUST_PROXY: "true", OPEN_WIDGET_SOCKETS_PER_IP: "2", OPEN_AGENT_SOCKETS_PER_IP: "2" } });
    base = t.listen();
    cookie = await signedInAdmin(t);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t.close();
  });

  async function widgetSocket(ip: string) {
    const ws = await openSocket(wsUrl(base, "/ws/widget"), { origin: "https://shop.example", "x-forwarded-for": ip });
    open.push(ws);
    return ws;
  }

  async function agentSocket(ip: string) {
    const ws = await openSocket(wsUrl(base, "/ws/inbox"), { cookie, origin: TEST_ORIGIN, "x-forwarded-for": ip });
    open.push(ws);
    await ws.waitFor((f) => f.includes("live-status"));
    return ws;
  }

  test("OPEN_WIDGET_SOCKETS_PER_IP=2: a third widget socket from the same /64 is refused with 429; another /64 is not; a close frees the slot", async () => {
    const net = network();
    const first = await widgetSocket(`${net}::1`);
    await widgetSocket(`${net}::2`);
    expect(await upgradeStatus(base, "/ws/widget", { origin: "https://shop.example", "x-forwarded-for": `${net}:ffff::3` })).toBe(429);
    await widgetSocket(`${network()}::1`);

    first.close();
    await eventually(() => t.ctx.socketCaps.widget.openFrom(`${net}::1`) === 1, "the closed socket's slot is freed");
    const again = await widgetSocket(`${net}::3`);
    // It is a working socket: it is asked to authenticate.
    again.send({ type: "resume", lastSeq: 0 });
    expect((await again.waitForJson((f) => f.type === "error")).code).toBe("unauthorized");
  });

  test("an IPv4 address and its IPv4-mapped IPv6 form share the widget cap", async () => {
    await widgetSocket("203.0.113.50");
    await widgetSocket("::ffff:203.0.113.50");
    expect(await upgradeStatus(base, "/ws/widget", { origin: "https://shop.example", "x-forwarded-for": "203.0.113.50" })).toBe(429);
  });

  test("OPEN_AGENT_SOCKETS_PER_IP=2: a third inbox socket from the same address is refused with 429; a close frees the slot", async () => {
    const net = network();
    const first = await agentSocket(`${net}::1`);
    await agentSocket(`${net}::1`);
    expect(await upgradeStatus(base, "/ws/inbox", { cookie, origin: TEST_ORIGIN, "x-forwarded-for": `${net}::2` })).toBe(429);
    // The caps are apart: widget sockets from that address are still welcome.
    await widgetSocket(`${net}::1`);
    await agentSocket(`${network()}::1`);

    first.close();
    await eventually(() => t.ctx.socketCaps.agent.openFrom(`${net}::1`) === 1, "the closed socket's slot is freed");
    await agentSocket(`${net}::2`);
  });

  test("the cap is checked after sign-in: an anonymous upgrade is still told to sign in", async () => {
    const net = network();
    await agentSocket(`${net}::1`);
    await agentSocket(`${net}::1`);
    expect(await upgradeStatus(base, "/ws/inbox", { origin: TEST_ORIGIN, "x-forwarded-for": `${net}::1` })).toBe(401);
  });

  test("upgrades that arrive together cannot pass the cap: the extra sockets are refused or closed with 1013", async () => {
    const ip = `${network()}::1`;
    const burst = await Promise.allSettled(Array.from({ length: 8 }, () => widgetSocket(ip)));
    const opened = burst.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    // Each opened socket ends one of two ways: it was live (asked to authenticate, then closed 1008)
    // or it was over the cap (closed 1013 at once, never answering).
    for (const s of opened) s.send({ type: "resume", lastSeq: 0 });
    const ends = await Promise.all(opened.map((s) => s.closed));
    const live = opened.filter((s) => s.json().some((f) => f.code === "unauthorized"));
    expect(live.length).toBeLessThanOrEqual(2);
    expect(ends.map((e) => e.code).sort()).toEqual([...Array(live.length).fill(1008), ...Array(opened.length - live.length).fill(1013)].sort());
  });
});
