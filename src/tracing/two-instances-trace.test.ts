// One customer message's trace across two real instances on PostgreSQL and Redis, as an
// operator's collector receives it: the widget frame on A, its statement, the publish on A, and
// the receive and socket write on B, in ONE trace; no raw id, body, email or token anywhere in
// what was sent; and the instances' log lines name the trace of the request they are about.
// Runs only with TEST_DATABASE_URL and TEST_REDIS_URL (PostgreSQL + Redis).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type postgres from "postgres";
import type { Instance } from "../testing/instance-process.ts";
import { assertNothingRaw, otlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../testing/otlp-receiver.ts";
import { AgentSocket, CustomerSocket } from "../testing/recording-sockets.ts";
import { twoInstancesEnabled, twoInstancesOnRedis } from "../testing/two-instances.ts";

const ADMIN = { email: "tracy@example.com", password: "two-instances-trace-pw" };
const SHOP_ORIGIN = "https://shop.example";
const SPAN_KIND = { server: 2, client: 3, producer: 4, consumer: 5 };

describe.if(twoInstancesEnabled)("one message's trace across two instances", () => {
  let receiver: OtlpReceiver;
  const env: Record<string, string> = {
    // Per-run client addresses, as in two-instances.test.ts: this shared Redis keeps per-IP budgets.
    TRUST_PROXY: "true",
    LOG_LEVEL: "info",
    OTEL_TRACES_SAMPLER: "always_on",
    OTEL_BSP_SCHEDULE_DELAY: "100",
  };
  // Registered before the instances' boot, which reads `env` when it starts them.
  beforeAll(() => {
    receiver = otlpReceiver();
    env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
  });
  const instances = twoInstancesOnRedis({ secret: "two-instances-trace-secret-0123456789abcdef", admin: ADMIN, env });
  let sql: postgres.Sql;
  let a: Instance;
  let b: Instance;
  let customer: CustomerSocket | undefined;
  let agent: AgentSocket | undefined;
  const customerHeaders = { origin: SHOP_ORIGIN, "x-forwarded-for": `198.18.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}` };

  beforeAll(() => void ({ sql, a, b } = instances.state));
  afterAll(() => {
    customer?.ws.close();
    agent?.ws.close();
    receiver?.stop();
  });

  test("the widget frame on A, its statement and publish, and the receive and socket write on B share one trace; nothing raw in it", async () => {
    const session = await fetch(`${a.origin}/api/v1/widget/session`, {
      method: "POST",
      headers: { "content-type": "application/json", ...customerHeaders },
      body: JSON.stringify({ inbox: instances.state.publicKey }),
    });
    const { token } = (await session.json()) as { token: string };
    customer = new CustomerSocket(a.origin, customerHeaders);
    await customer.opened();
    customer.send({ type: "auth", token });
    await customer.waitFor("ready", (f) => f.type === "ready");
    customer.send({ type: "handoff" });
    const conversationId = (await customer.waitFor("the new conversation", (f) => f.type === "status" && typeof f.conversation === "string")).conversation as string;

    // The agent on B views it; their typing reaching A proves the view's subscription is in place.
    agent = new AgentSocket(b.origin, { cookie: instances.state.cookie, origin: b.origin });
    await agent.opened();
    agent.send({ type: "view", conversation: conversationId });
    const before = customer.frames.length;
    agent.send({ type: "typing", conversation: conversationId, on: false });
    await customer.waitFor("the agent's typing", (f) => f.type === "typing", before);

    const body = `trace me ${crypto.randomUUID()}`;
    customer.send({ type: "send", clientId: "c-traced", body });
    await customer.waitFor("the ack", (f) => f.type === "ack" && f.clientId === "c-traced");
    await agent.waitFor("the message on B", (p) => p.includes(body));

    // Frames are traced from their start, so the send's span already names the conversation.
    const frame = await receiver.waitForSpan("the send frame on A", (s) => s.name === "widget frame send" && s.attributes["supportdesk.conversation.hash"] !== undefined);
    const inTrace = (what: string, match: (s: ReceivedSpan) => boolean) => receiver.waitForSpan(what, (s) => s.traceId === frame.traceId && match(s));
    // The receive on B includes the write to B's agent socket: the bytes written are an attribute of it.
    const receive = await inTrace("the receive and socket write on B", (s) => s.name === "receive conv:*:agents" && s.instance !== frame.instance);
    const publish = await inTrace("the publish on A", (s) => s.spanId === receive.parentSpanId);
    const statement = await inTrace("a statement storing the message", (s) => s.kind === SPAN_KIND.client && s.name === "insert messages");

    expect(receive.kind).toBe(SPAN_KIND.consumer);
    expect(receive.attributes["messaging.system"]).toBe("redis");
    expect(receive.attributes["supportdesk.socket.bytes_written"]).toBeGreaterThan(0);
    expect(publish).toMatchObject({ name: "publish conv:*:agents", kind: SPAN_KIND.producer, instance: frame.instance });
    expect(statement.instance).toBe(frame.instance);
    expect(frame.kind).toBe(SPAN_KIND.server);
    // Every span of the message's path names the same conversation, hashed.
    for (const span of [frame, publish, receive]) expect(span.attributes["supportdesk.conversation.hash"]).toBe(frame.attributes["supportdesk.conversation.hash"]!);

    const [{ contact_id: contactId }] = (await sql`select contact_id from conversations where id = ${conversationId}`) as unknown as [{ contact_id: string }];
    const [{ id: agentId }] = (await sql`select id from agents where email = ${ADMIN.email}`) as unknown as [{ id: string }];
    const sessionCookie = instances.state.cookie.split("=")[1]!;
    assertNothingRaw(receiver, [conversationId, contactId, agentId, body, ADMIN.email, ADMIN.password, token, sessionCookie]);
  }, 30_000);

  test("each instance's log lines name the trace of the request they are about", async () => {
    const span = await receiver.waitForSpan("the widget session request on A", (s) => s.name === "POST /api/v1/widget/session");
    const lines = a.output.join("").split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    const line = lines.find((l) => l.msg === "request" && l.route === "/api/v1/widget/session");
    expect(line).toMatchObject({ trace_id: span.traceId, span_id: span.spanId });
  });
});
