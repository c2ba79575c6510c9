// Bus instances for the bus tests: a bus attached to its own Bun server with one browser socket
// subscribed, a logger that records, and a TCP proxy that can make a Redis subscription deaf.
import net from "node:net";
import type { Logger, LogFields } from "../log/logger.ts";
import type { Bus, SeqMark } from "../realtime/bus.ts";

export const REDIS_URL = process.env.TEST_REDIS_URL;
export const TOPIC = "conv:test";
/** Nothing listens here, so every connection is refused at once. */
export const DEAD_REDIS_URL = "redis://127.0.0.1:1";

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(2);
  }
}

/** One app instance: a bus attached to a Bun server, with one browser socket subscribed to TOPIC. */
export interface Instance {
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

export function copiesOf(data: string, received: string[]): number {
  return received.filter((m) => m === data).length;
}

/**
 * Publishes a marker on `from` and waits for it on `to`. Redis keeps one connection's publishes in
 * order, so anything `from` sent earlier (a duplicate included) has reached `to` by then.
 */
export async function roundTrip(from: Instance, to: Instance): Promise<void> {
  const marker = `marker ${crypto.randomUUID()}`;
  from.bus.publish(TOPIC, marker);
  await waitFor(() => to.received.includes(marker), "a marker to cross instances");
}

export function recordingLogger(): { log: Logger; lines: Array<{ level: string; msg: string; fields?: LogFields }> } {
  const lines: Array<{ level: string; msg: string; fields?: LogFields }> = [];
  const at = (level: string) => (msg: string, fields?: LogFields) => void lines.push({ level, msg, fields });
  return { log: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") }, lines };
}

/** What closeStarted closes: every instance `started` made, and whatever else a test puts here. */
export const open: Array<{ close(): Promise<void> }> = [];

/** Each bus test file's afterEach. */
export async function closeStarted(): Promise<void> {
  await Promise.all(open.splice(0).map((o) => o.close()));
}

/** An instance that closeStarted closes. */
export async function started(bus: Bus): Promise<Instance> {
  const instance = await startInstance(bus);
  open.push(instance);
  return instance;
}

/**
 * A TCP proxy to Redis that can make subscriber connections deaf the way a stale subscription is:
 * the connection stays open and healthy-looking, but nothing published arrives on it any more.
 */
export async function deafeningProxy(redisUrl: string) {
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
