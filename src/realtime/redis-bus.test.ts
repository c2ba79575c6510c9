// The Redis bus between instances (with TEST_REDIS_URL): every publish reaches every instance's
// sockets once, text intact; control messages; what it did not write is ignored; a lost or deaf
// subscription is noticed, redone and resynced.
import { afterEach, describe, expect, test } from "bun:test";
import Redis from "ioredis";
import { silentLogger } from "../log/logger.ts";
import { closeStarted, copiesOf, deafeningProxy, open, REDIS_URL, roundTrip, started, TOPIC, waitFor } from "../testing/bus-instances.ts";
import type { ControlMessage } from "./control.ts";
import { redisBus } from "./redis-bus.ts";

afterEach(closeStarted);

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

  test("publishes made together cross Redis as one message and arrive in the order they were made", async () => {
    channel = `test:${crypto.randomUUID()}`;
    const [a, b] = [await instance(), await instance()];
    admin = new Redis(url);
    const seen: string[] = [];
    admin.on("message", (_channel: string, message: string) => seen.push(message));
    await admin.subscribe(channel);
    a.bus.publish(TOPIC, "first", { conversationId: "c1", seq: 1 });
    a.bus.publish(TOPIC, "second", { conversationId: "c1", seq: 2 });
    a.bus.publish(TOPIC, "third");
    await waitFor(() => b.received.includes("third"), "the last on B");
    expect(b.received.slice(0, 3)).toEqual(["first", "second", "third"]);
    expect(b.marks).toEqual([{ conversationId: "c1", seq: 1 }, { conversationId: "c1", seq: 2 }]);
    // Redis keeps each publisher's order: once the last is on the channel, so is everything before it.
    await waitFor(() => seen.some((m) => m.includes("third")), "the last on the channel");
    expect(seen.filter((m) => m.includes("first") || m.includes("second") || m.includes("third"))).toHaveLength(1);
    expect(copiesOf("second", a.received)).toBe(1);
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
    const badTraceparent = "sd2\tx\tconv:test\t\t\t1.5\t00-not-a-trace\nbad traceparent";
    for (const junk of ["", "garbage", "sd2\tx\tconv:test\t\t\t1.5", "sd2\tx\tconv:test\tc1\tNaN\t1.5\nbad seq",
      "sd2\tx\tconv:test\t\t\tsoon\nbad time", "sd2\tx\tconv:test\t\t\t-1\nbad time", "sd1\tx\tconv:test\t\t\nold", badTraceparent]) {
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

  test("a control message keeps its place among the publishes made around it", async () => {
    channel = `test:${crypto.randomUUID()}`;
    const [a, b] = [await instance(), await instance()];
    // Marks are recorded as B delivers (its sockets' clients receive later): they tell the order.
    const seqsBeforeControl: number[][] = [];
    b.bus.onControl(() => seqsBeforeControl.push(b.marks.map((m) => m.seq)));
    a.bus.publish(TOPIC, "frame before", { conversationId: "c1", seq: 1 });
    a.bus.control({ type: "agent_access_ended", agentId: "agent-1" });
    a.bus.publish(TOPIC, "frame after", { conversationId: "c1", seq: 2 });
    await waitFor(() => b.marks.length === 2, "both frames on B");
    expect(seqsBeforeControl).toEqual([[1]]);
  });

  test("control messages the bus did not write are ignored", async () => {
    channel = `test:${crypto.randomUUID()}`;
    const [a, b] = [await instance(), await instance()];
    const heard: ControlMessage[] = [];
    a.bus.onControl((m) => heard.push(m));
    admin = new Redis(url);
    for (const junk of ["not json", "{}", '{"type":"agent_access_ended"}', '{"type":"agent_access_ended","agentId":""}', '{"type":"reboot","agentId":"x"}', "null",
      '{"type":"sessions_ended"}', '{"type":"sessions_ended","sessionIds":"s1"}', '{"type":"sessions_ended","sessionIds":[1]}', '{"type":"sessions_ended","sessionIds":[""]}']) {
      await admin.publish(channel, `sd2\tother\t!control\t\t\t1.5\n${junk}`);
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
    await waitFor(() => !a.bus.health().ok, "deafness to be noticed", deafAfterMs + 2000);
    // No lower bound on the time taken: silence counts from the last heartbeat heard, which on a busy
    // machine may come well before the proxy went deaf.
    expect(a.bus.health()).toMatchObject({ ok: false, reason: expect.stringContaining("deaf") });
    await waitFor(() => a.bus.health().ok, "the subscription to be redone");
    expect(a.resyncs).toBe(1);
    await roundTrip(b, a);
  });
});
