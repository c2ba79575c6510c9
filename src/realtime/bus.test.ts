import { afterEach, describe, expect, test } from "bun:test";
import { closeStarted, DEAD_REDIS_URL, recordingLogger, started, TOPIC, waitFor } from "../testing/bus-instances.ts";
import { inProcessBus } from "./bus.ts";
import type { ControlMessage } from "./control.ts";
import { redisBus } from "./redis-bus.ts";

afterEach(closeStarted);

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
