// The collision guard across instances: Ana's page on instance B and Ben's on instance A, one
// conversation open in both; each header hears the other viewing and typing, through Redis (the
// viewers store and the bus). Runs only with TEST_DATABASE_URL and TEST_REDIS_URL.
import { beforeAll, describe, expect, test } from "bun:test";
import { cookieFrom } from "../testing/test-app.ts";
import { twoInstancesEnabled, twoInstancesOnRedis } from "../testing/two-instances.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

const ADMIN = { email: "ana@example.com", password: "collision-two-pw" };
const BEN = { email: "ben@example.com", password: "collision-two-ben" };

describe.if(twoInstancesEnabled)("collision guard on two instances and Redis", () => {
  // Requests come from a made-up address per run (TRUST_PROXY): the rate limits of this shared
  // Redis are then not those of other tests that connect from 127.0.0.1.
  const instances = twoInstancesOnRedis({ secret: "collision-two-instances-secret-0123456789", admin: ADMIN, env: { TRUST_PROXY: "true" } });
  const xff = { "x-forwarded-for": `198.18.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}` };
  let conversation: string, bensCookie: string;

  beforeAll(async () => {
    const { sql, a, publicKey } = instances.state;
    await sql`insert into agents (id, name, email, password_hash) values (${crypto.randomUUID()}, 'Ben', ${BEN.email}, ${await Bun.password.hash(BEN.password)})`;
    const login = await fetch(`${a.origin}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: a.origin, ...xff },
      body: new URLSearchParams(BEN).toString(),
    });
    bensCookie = cookieFrom(login, "sd_session")!;
    const json = { "content-type": "application/json", origin: "https://shop.example", ...xff };
    const session = await fetch(`${a.origin}/api/v1/widget/session`, { method: "POST", headers: json, body: JSON.stringify({ inbox: publicKey }) });
    const { token } = (await session.json()) as { token: string };
    const sent = await fetch(`${a.origin}/api/v1/widget/messages`, {
      method: "POST",
      headers: { ...json, authorization: `Bearer ${token}` },
      body: JSON.stringify({ clientId: crypto.randomUUID(), body: "hello from the shop" }),
    });
    expect(sent.status).toBe(201);
    [{ id: conversation }] = (await sql`select id from conversations order by created_at desc limit 1`) as unknown as [{ id: string }];
  }, 30_000);

  const socketOn = async (origin: string, cookie: string): Promise<TestSocket> => {
    const socket = await openSocket(`${origin.replace("http", "ws")}/ws/inbox`, { cookie, origin, ...xff });
    await socket.waitFor((f) => f.includes('id="live-status"'));
    return socket;
  };
  const bar = (socket: TestSocket, text: string, from = 0) => socket.waitFor((f) => f.includes(`id="conv-viewers-${conversation}"`) && f.includes(text), 10_000, from);

  test("Ana on B and Ben on A see each other viewing and typing", async () => {
    const { a, b, cookie } = instances.state;
    const anas = await socketOn(b.origin, cookie);
    const bens = await socketOn(a.origin, bensCookie);
    anas.send({ type: "view", conversation, after: 0 });
    await bar(anas, "is viewing");
    bens.send({ type: "view", conversation, after: 0 });
    const both = await bar(anas, "Ben is viewing");
    expect(both).toContain("is viewing</span><span");
    await bar(bens, "Ben is viewing");
    const from = bens.frames.length;
    anas.send({ type: "typing", conversation, on: true });
    expect(await bar(bens, "is typing…", from)).toContain("Ben is viewing");
    const closing = anas.frames.length;
    bens.close();
    const left = await anas.waitFor((f) => f.includes(`id="conv-viewers-${conversation}"`) && !f.includes("Ben"), 10_000, closing);
    expect(left).toMatch(/ana is (viewing|typing)/);
    anas.close();
  }, 30_000);
});
