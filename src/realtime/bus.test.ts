import { afterEach, describe, expect, test } from "bun:test";
import net from "node:net";
import Redis from "ioredis";
import type { Logger, LogFields } from "../log/logger.ts";
import { silentLogger } from "../log/logger.ts";
import { type Bus, inProcessBus, type SeqMark } from "./bus.ts";
import type { ControlMessage } from "./control.ts";
import { redisBus } from "./redis-bus.ts";

const REDIS_URL = process.env.TEST_REDIS_URL;
const TOPIC = "conv:test";
/** Nothing listens here, so every connection is refused at once. */
const DEAD_REDIS_URL = "redis://127.0.0.1:1";

async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(2);
  }
}

/** One app instance: a bus attached to a Bun server, with one browser socket subscribed to TOPIC. */
interface Instance {
  bus: Bus;
  received: string[];
  marks: SeqMark[];
  resyncs: number;
  close(): Promise<void>;
}

async function startInstance(bus: Bus): Promise<Instance> {
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req, srv) => (srv.upgrade(req) ? undefined : new Response("websocket only", { status: 400 })),
    websocket: {
      open(ws) {
        ws.subscribe(TOPIC);
        ws.send("subscribed");
      },
      message() {},
    },
  });
  bus.attach(server);
  const instance: Instance = {
    bus,
    received: [],
    marks: [],
    resyncs: 0,
    async close() {
      client.close();
      await bus.close();
      await server.stop(true);
    },
  };
  bus.onDelivered((mark) => instance.marks.push(mark));
  bus.onResync(() => instance.resyncs++);
  const client = new WebSocket(`ws://127.0.0.1:${server.port}/`);
  let subscribed = false;
  client.onmessage = (e) => {
    if (e.data === "subscribed") subscribed = true;
    else instance.received.push(String(e.data));
  };
  await waitFor(() => subscribed, "the socket to be subscribed");
  return instance;
}

function copiesOf(data: string, received: string[]): number {
  return received.filter((m) => m === data).length;
}

/**
 * Publishes a marker on `from` and waits for it on `to`. Redis keeps one connection's publishes in
 * order, so anything `from` sent earlier (a duplicate included) has reached `to` by then.
 */
async function roundTrip(from: Instance, to: Instance): Promise<void> {
  const marker = `marker ${crypto.randomUUID()}`;
  from.bus.publish(TOPIC, marker);
  await waitFor(() => to.received.includes(marker), "a marker to cross instances");
}

function recordingLogger(): { log: Logger; lines: Array<{ level: string; msg: string; fields?: LogFields }> } {
  const lines: Array<{ level: string; msg: string; fields?: LogFields }> = [];
  const at = (level: string) => (msg: string, fields?: LogFields) => void lines.push({ level, msg, fields });
  return { log: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") }, lines };
}

let open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.map((o) => o.close()));
  open = [];
});

async function started(bus: Bus): Promise<Instance> {
  const instance = await startInstance(bus);
  open.push(instance);
  return instance;
}

describe("in-process bus", () => {
  test("a publish reaches the subscribed socket, and its mark is reported as delivered", async () => {
    const a = await started(inProcessBus());
    a.bus.publish(TOPIC, "<p>hello</p>", { conversationId: "c1", seq: 3 });
    a.bus.publishLocal(TOPIC, "<p>again</p>");
    await waitFor(() => a.received.length === 2, "both messages");
    expect(a.received).toEqual(["<p>hello</p>", "<p>again</p>"]);
    expect(a.marks).toEqual([{ conversationId: "c1", seq: 3 }]);
    expect(a.bus.health()).toEqual({ ok: true });
  });

  test("publishing before a server is attached, or with a failing listener, still works", async () => {
    const bus = inProcessBus();
    bus.publish(TOPIC, "nobody listens yet");
    bus.onDelivered(() => {
      throw new Error("a broken sweeper");
    });
    const a = await started(bus);
    a.bus.publish(TOPIC, "delivered anyway", { conversationId: "c1", seq: 1 });
    await waitFor(() => a.received.length === 1, "the message");
    expect(a.received).toEqual(["delivered anyway"]);
    expect(a.marks).toEqual([{ conversationId: "c1", seq: 1 }]);
  });
});

describe("control messages on the in-process bus", () => {
  test("reach every control listener before control() returns, even past a failing one, and no socket", async () => {
    const a = await started(inProcessBus());
    const heard: ControlMessage[] = [];
    a.bus.onControl(() => {
      throw new Error("a broken listener");
    });
    a.bus.onControl((m) => heard.push(m));
    a.bus.control({ type: "agent_access_ended", agentId: "agent-1" });
    expect(heard).toEqual([{ type: "agent_access_ended", agentId: "agent-1" }]);
    a.bus.publish(TOPIC, "after");
    await waitFor(() => a.received.length === 1, "the publish after");
    expect(a.received).toEqual(["after"]);
  });
});

describe("redis bus while Redis is unreachable", () => {
  test("this instance's sockets still get every publish; nothing throws; one warning; /ready says why", async () => {
    const { log, lines } = recordingLogger();
    const a = await started(redisBus(DEAD_REDIS_URL, log));
    for (let i = 0; i < 5; i++) a.bus.publish(TOPIC, `message ${i}`, { conversationId: "c1", seq: i + 1 });
    await waitFor(() => a.received.length === 5, "the local deliveries");
    expect(a.received).toEqual(["message 0", "message 1", "message 2", "message 3", "message 4"]);
    expect(a.marks.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(lines.filter((l) => l.msg.startsWith("redis publish failed"))).toHaveLength(1);
    expect(a.bus.health()).toEqual({ ok: false, reason: "redis subscription not established yet" });
    await a.bus.close();
    await a.bus.close();
  });
});

describe.if(!!REDIS_URL)("redis bus across instances", () => {
  const url = REDIS_URL!;
  let channel = "";
  let admin: Redis;

  async function instance(options: { instanceId?: string; heartbeatMs?: number; deafAfterMs?: number; url?: string } = {}) {
    const { url: busUrl = url, ...rest } = options;
    const a = await started(redisBus(busUrl, silentLogger, { channel, ...rest }));
    await waitFor(() => a.bus.health().ok, "the subscription");
    return a;
  }

  afterEach(() => {
    admin?.disconnect();
  });

  test("a publish on one instance reaches each instance's sockets exactly once, mark included", async () => {
    channel = `test:${crypto.randomUUID()}`;
    const [a, b] = [await instance(), await instance()];
    a.bus.publish(TOPIC, "<p>hello</p>", { conversationId: "c1", seq: 7 });
    await waitFor(() => b.received.includes("<p>hello</p>"), "the message on B");
    await roundTrip(b, a);
    await roundTrip(a, b);
    expect(copiesOf("<p>hello</p>", a.received)).toBe(1);
    expect(copiesOf("<p>hello</p>", b.received)).toBe(1);
    expect(a.marks).toEqual([{ conversationId: "c1", seq: 7 }]);
    expect(b.marks).toEqual([{ conversationId: "c1", seq: 7 }]);
  });

  test("any text arrives intact: tabs, newlines, things that look like a header, unicode", async () => {
    channel = `test:${crypto.randomUUID()}`;
    const [a, b] = [await instance(), await instance()];
    const tricky = `\n\tsd1\tother\tconv:x\tc9\t9\n<p data-x="a\tb">Olá 👋 ünïcödé\r\n\u0000 end</p>\n${"x".repeat(100_000)}`;
    a.bus.publish(TOPIC, tricky, { conversationId: "c\u00e9", seq: 0 });
    a.bus.publish(TOPIC, "");
    await roundTrip(a, b);
    expect(b.received.slice(0, 2)).toEqual([tricky, ""]);
    expect(b.marks).toEqual([{ conversationId: "c\u00e9", seq: 0 }]);
  });

  test("publishLocal stays on its own instance", async () => {
    channel = `test:${crypto.randomUUID()}`;
    const [a, b] = [await instance(), await instance()];
    a.bus.publishLocal(TOPIC, "only here", { conversationId: "c1", seq: 1 });
    await roundTrip(a, b);
    expect(a.received).toContain("only here");
    expect(b.received).not.toContain("only here");
    expect(b.marks).toEqual([]);
  });

  test("messages on the channel that the bus did not write are ignored", async () => {
    channel = `test:${crypto.randomUUID()}`;
    const [a, b] = [await instance(), await instance()];
    admin = new Redis(url);
    for (const junk of ["", "garbage", "sd1\tx\tconv:test\t\t", "sd1\tx\tconv:test\tc1\tNaN\nbad seq", "sd0\tx\tconv:test\t\t\nold"]) {
      await admin.publish(channel, junk);
    }
    await roundTrip(b, a);
    expect(a.received).toHaveLength(1);
    expect(a.marks).toEqual([]);
    expect(a.bus.health().ok).toBe(true);
  });

  test("a control message reaches every instance's listeners once, and no socket", async () => {
    channel = `test:${crypto.randomUUID()}`;
    const [a, b] = [await instance(), await instance()];
    const heard = { a: [] as ControlMessage[], b: [] as ControlMessage[] };
    a.bus.onControl((m) => heard.a.push(m));
    b.bus.onControl((m) => heard.b.push(m));
    a.bus.control({ type: "agent_access_ended", agentId: "agent-1" });
    expect(heard.a).toEqual([{ type: "agent_access_ended", agentId: "agent-1" }]); // at once, locally
    await waitFor(() => heard.b.length === 1, "the control message on B");
    await roundTrip(a, b);
    await roundTrip(b, a);
    expect(heard.a).toHaveLength(1);
    expect(heard.b).toEqual([{ type: "agent_access_ended", agentId: "agent-1" }]);
    expect(a.received.concat(b.received).filter((m) => m.includes("agent-1"))).toEqual([]);
  });

  test("control messages the bus did not write are ignored", async () => {
    channel = `test:${crypto.randomUUID()}`;
    const [a, b] = [await instance(), await instance()];
    const heard: ControlMessage[] = [];
    a.bus.onControl((m) => heard.push(m));
    admin = new Redis(url);
    for (const junk of ["not json", "{}", '{"type":"agent_access_ended"}', '{"type":"agent_access_ended","agentId":""}', '{"type":"reboot","agentId":"x"}', "null",
      '{"type":"sessions_ended"}', '{"type":"sessions_ended","sessionIds":"s1"}', '{"type":"sessions_ended","sessionIds":[1]}', '{"type":"sessions_ended","sessionIds":[""]}']) {
      await admin.publish(channel, `sd1\tother\t!control\t\t\n${junk}`);
    }
    await roundTrip(b, a);
    expect(heard).toEqual([]);
    expect(a.received).toHaveLength(1); // only the round trip's marker
    expect(a.bus.health().ok).toBe(true);
  });

  test("a killed subscription is reported, restored, resynced once, and messages flow again", async () => {
    channel = `test:${crypto.randomUUID()}`;
    const instanceId = crypto.randomUUID();
    const [a, b] = [await instance({ instanceId }), await instance()];
    admin = new Redis(url);
    const clients = String(await admin.call("CLIENT", "LIST")).split("\n");
    const subscriberLine = clients.find((line) => line.includes(` name=supportdesk:bus:sub:${instanceId} `));
    const subscriberId = /\bid=(\d+)/.exec(subscriberLine ?? "")?.[1];
    expect(subscriberId).toBeDefined();
    await admin.call("CLIENT", "KILL", "ID", subscriberId!);

    await waitFor(() => !a.bus.health().ok, "the loss to be reported");
    expect(a.bus.health()).toEqual({ ok: false, reason: "redis subscription lost" });
    await waitFor(() => a.bus.health().ok, "the subscription to come back");
    expect(a.resyncs).toBe(1);
    expect(b.resyncs).toBe(0);
    await roundTrip(b, a);
    await roundTrip(a, b);
  });

  test("a subscription that stays connected but hears nothing is caught by the heartbeat and redone", async () => {
    channel = `test:${crypto.randomUUID()}`;
    const proxy = await deafeningProxy(url);
    open.push(proxy);
    const deafAfterMs = 250;
    const a = await instance({ url: proxy.url, heartbeatMs: 50, deafAfterMs });
    const b = await instance();
    await roundTrip(b, a);

    proxy.deafenSubscribers();
    const deafenedAt = performance.now();
    await waitFor(() => !a.bus.health().ok, "deafness to be noticed", deafAfterMs + 2000);
    expect(performance.now() - deafenedAt).toBeGreaterThanOrEqual(deafAfterMs);
    expect(a.bus.health()).toMatchObject({ ok: false, reason: expect.stringContaining("deaf") });
    await waitFor(() => a.bus.health().ok, "the subscription to be redone");
    expect(a.resyncs).toBe(1);
    await roundTrip(b, a);
  });
});

/**
 * A TCP proxy to Redis that can make subscriber connections deaf the way a stale subscription is:
 * the connection stays open and healthy-looking, but nothing published arrives on it any more.
 */
async function deafeningProxy(redisUrl: string) {
  const target = new URL(redisUrl);
  const links: Array<{ client: net.Socket; upstream: net.Socket; subscriber: boolean; deaf: boolean }> = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    const link = { client, upstream, subscriber: false, deaf: false };
    links.push(link);
    client.on("data", (chunk: Buffer) => {
      if (chunk.toString("latin1").toLowerCase().includes("subscribe")) link.subscriber = true;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (!link.deaf) client.write(chunk);
    });
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on("close", closeBoth);
      socket.on("error", closeBoth);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const proxied = new URL(redisUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String((server.address() as net.AddressInfo).port);
  return {
    url: proxied.toString(),
    /** Only connections open now: the bus's fresh connection afterwards must work. */
    deafenSubscribers() {
      for (const link of links) if (link.subscriber) link.deaf = true;
    },
    async close() {
      for (const link of links) {
        link.client.destroy();
        link.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
