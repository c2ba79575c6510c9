import { afterEach, describe, expect, test } from "bun:test";
import Redis from "ioredis";
import { silentLogger } from "../log/logger.ts";
import { eventually } from "../testing/eventually.ts";
import { inProcessPresence, type Presence } from "./presence.ts";
import { redisPresence, type RedisPresenceOptions } from "./redis-presence.ts";

const REDIS_URL = process.env.TEST_REDIS_URL;

async function sees(presence: Presence, agentId: string): Promise<boolean> {
  return (await presence.onlineAgentIds()).has(agentId);
}

let open: Presence[] = [];
afterEach(async () => {
  await Promise.all(open.map((p) => p.close()));
  open = [];
});

describe("in-process presence", () => {
  test("an agent with two tabs stays online until both close", async () => {
    const presence = inProcessPresence();
    presence.connected("ana");
    presence.connected("ana");
    presence.connected("bo");
    presence.disconnected("ana");
    expect(await presence.onlineAgentIds()).toEqual(new Set(["ana", "bo"]));
    presence.disconnected("ana");
    expect(await presence.onlineAgentIds()).toEqual(new Set(["bo"]));
  });

  test("a close without an open does not take an agent offline later", async () => {
    const presence = inProcessPresence();
    presence.disconnected("ana");
    presence.connected("ana");
    expect(await presence.onlineAgentIds()).toEqual(new Set(["ana"]));
  });
});

describe("redis presence while Redis is unreachable", () => {
  test("this instance's agents are still shown, without an error", async () => {
    const presence = redisPresence("redis://127.0.0.1:1", silentLogger);
    open.push(presence);
    presence.connected("ana");
    expect(await presence.onlineAgentIds()).toEqual(new Set(["ana"]));
  });
});

describe.if(!!REDIS_URL)("redis presence across instances", () => {
  const url = REDIS_URL!;
  let key = "";

  function instance(options: RedisPresenceOptions = {}): Presence {
    const presence = redisPresence(url, silentLogger, { key, ...options });
    open.push(presence);
    return presence;
  }

  afterEach(async () => {
    const admin = new Redis(url);
    await admin.del(key);
    admin.disconnect();
  });

  test("each instance sees the agents connected to the other", async () => {
    key = `test:presence:${crypto.randomUUID()}`;
    const [a, b] = [instance(), instance()];
    a.connected("ana");
    b.connected("bo");
    for (const presence of [a, b]) {
      await eventually(async () => (await presence.onlineAgentIds()).size === 2, "both agents");
      expect(await presence.onlineAgentIds()).toEqual(new Set(["ana", "bo"]));
    }
  });

  test("an agent goes offline everywhere when the last of their sockets closes", async () => {
    key = `test:presence:${crypto.randomUUID()}`;
    const [a, b] = [instance(), instance()];
    a.connected("ana");
    a.connected("ana");
    await eventually(() => sees(b, "ana"), "ana on B");
    b.connected("ana");
    b.disconnected("ana");
    a.disconnected("ana");
    // Still one tab open on A: B must keep showing her. A's commands run in order, so once A has
    // answered a read, a wrong removal from A would already have happened.
    await a.onlineAgentIds();
    expect(await sees(b, "ana")).toBe(true);
    a.disconnected("ana");
    await eventually(async () => !(await sees(b, "ana")), "ana to go offline on B");
  });

  test("anyone online: yes while another instance has an agent, no once the last one left", async () => {
    key = `test:presence:${crypto.randomUUID()}`;
    const [a, b] = [instance(), instance()];
    expect(await b.anyAgentOnline()).toBe(false);
    expect(a.connected("ana")).toBe(true);
    expect(a.connected("ana")).toBe(false);
    await eventually(() => b.anyAgentOnline(), "ana seen on B");
    expect(a.disconnected("ana")).toBe(false);
    expect(a.disconnected("ana")).toBe(true);
    await eventually(async () => !(await b.anyAgentOnline()), "nobody on B");
  });

  test("a closed instance's agents are gone at once", async () => {
    key = `test:presence:${crypto.randomUUID()}`;
    const [a, b] = [instance(), instance()];
    a.connected("ana");
    await eventually(() => sees(b, "ana"), "ana on B");
    await a.close();
    expect(await b.onlineAgentIds()).toEqual(new Set());
  });

  test("a crashed instance's agents drop out after the TTL; a live one's stay", async () => {
    key = `test:presence:${crypto.randomUUID()}`;
    const ttlMs = 400;
    // Never refreshes within the test: as good as crashed after its first write.
    const crashed = instance({ ttlMs, refreshMs: 60_000 });
    const alive = instance({ ttlMs, refreshMs: 100 });
    const observer = instance();
    crashed.connected("carl");
    alive.connected("dora");
    await eventually(() => sees(observer, "carl"), "carl on the observer");
    await eventually(async () => !(await sees(observer, "carl")), "carl to expire", ttlMs + 2000);
    expect(await sees(observer, "dora")).toBe(true);
  });
});
