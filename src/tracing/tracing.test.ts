// Traces as an operator's collector receives them, from one instance (either storage mode): an
// OTLP/HTTP receiver in this process takes what the app's exporter sends. HTTP requests are named
// by route pattern with their statements inside and their log line names the trace; a customer's
// message runs from its widget frame through the statement to the agents' socket; no raw id,
// body, email or token is in anything sent.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { AgentSocket } from "../testing/recording-sockets.ts";
import { signedInTeam, type TeamMember } from "../testing/fixtures.ts";
import { assertNothingRaw, otlpReceiver, type OtlpReceiver } from "../testing/otlp-receiver.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { readyWidgetSocket, requestSession } from "../testing/widget-client.ts";
import type { TestSocket } from "../testing/ws-client.ts";
import { recordingHandlers, TEST_WORKER } from "../jobs/jobs-fixture.ts";
import { schedule } from "../jobs/schedule.ts";
import { JobWorker } from "../jobs/worker.ts";
import { silentLogger } from "../log/logger.ts";
import { eventually } from "../testing/eventually.ts";
import { tracingConfig } from "./config.ts";
import { useTraceIdKey } from "./hashed-ids.ts";
import { startTracing, type Tracing } from "./tracing.ts";

describe(`traces of one instance (${storageMode})`, () => {
  let receiver: OtlpReceiver;
  let tracing: Tracing;
  let t: TestApp;
  let base: string;
  let ana: TeamMember;
  let publicKey: string;
  const open: TestSocket[] = [];
  let agent: AgentSocket | undefined;

  beforeAll(async () => {
    receiver = otlpReceiver();
    useTraceIdKey("tracing-test-secret-tracing-test-secret");
    // Before the app and its database, as main.ts starts it; spans are sent every 50 ms.
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER: "always_on", OTEL_BSP_SCHEDULE_DELAY: "50", OTEL_SERVICE_NAME: "sd-test" };
    tracing = await startTracing(tracingConfig(env), silentLogger);
    expect(tracing.enabled).toBe(true);
    t = await createTestApp({ env: { LOG_FORMAT: "json" } });
    base = t.listen();
    const team = await signedInTeam(t, { handoffMode: "immediate" });
    ana = team.ana;
    publicKey = team.inbox.publicKey;
  });

  afterAll(async () => {
    for (const socket of open) socket.close();
    agent?.ws.close();
    await t?.close();
    await tracing?.shutdown();
    receiver?.stop();
  });

  const inTrace = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);

  test("a request is a server span named by its route pattern, its statements are its children, and its log line names the trace", async () => {
    const id = crypto.randomUUID();
    const response = await t.request(`/inbox/c/${id}?from=${id}`, { headers: { cookie: ana.cookie } });
    const span = await receiver.waitForSpan("the conversation page's span", (s) => s.name === "GET /inbox/c/:id");
    expect(span.service).toBe("sd-test");
    expect(span.kind).toBe(2);
    expect(span.attributes["http.route"]).toBe("/inbox/c/:id");
    expect(span.attributes["http.response.status_code"]).toBe(response.status);
    // The session lookup, at least: named by verb and table, never by its text.
    const statement = await receiver.waitForSpan("a statement of the request", (s) => s.parentSpanId === span.spanId && s.attributes["db.system.name"] === "postgresql");
    expect(statement.name).toMatch(/^select [a-z_]+$/);
    expect(statement.kind).toBe(3);

    const line = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "request" && l.route === "/inbox/c/:id");
    expect(line?.trace_id).toBe(span.traceId);
    expect(line?.span_id).toBe(span.spanId);
    assertNothingRaw(receiver, [id, ana.cookie.split("=")[1]!]);
  });

  test("a path that matched no route is named with its id-like parts masked; a proxy's traceparent is continued", async () => {
    const secret = `tok${crypto.randomUUID().replaceAll("-", "")}`;
    // A probe first: it makes no span, so the next request's is the first to arrive after it.
    expect((await t.request("/health?x=1")).status).toBe(200);
    await t.request(`/no/such/${secret}`);
    await receiver.waitForSpan("the 404's span", (s) => s.name === "GET /no/such/:masked" && s.attributes["http.response.status_code"] === 404);
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    await t.request("/login", { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    const span = await receiver.waitForSpan("the proxied request's span", (s) => s.name === "GET /login" && s.traceId === traceId);
    expect(span.parentSpanId).toBe("00f067aa0ba902b7");
    assertNothingRaw(receiver, [secret]);
    expect(receiver.spans.filter((s) => s.attributes["http.route"] === "/health")).toEqual([]);
  });

  test("a customer's message runs from its widget frame through the statement to the agents' socket, ids hashed, no body", async () => {
    const session = await requestSession(base, { inbox: publicKey });
    const { token } = (await session.json()) as { token: string };
    const { ws } = await readyWidgetSocket(base, token, "https://shop.example", open);
    // The conversation starts with a first message; an agent then opens it and hears the second.
    ws.send({ type: "send", clientId: crypto.randomUUID(), body: "first words" });
    const started = await ws.waitForJson((f) => f.type === "status" && typeof f.conversation === "string");
    const conversationId = started.conversation as string;
    agent = new AgentSocket(base, { cookie: ana.cookie, origin: TEST_ORIGIN });
    await agent.opened();
    agent.send({ type: "view", conversation: conversationId });
    await receiver.waitForSpan("the agent's view frame", (s) => s.name === "inbox frame view");

    const body = `my card is 4111 1111 1111 ${Math.random()}`;
    const clientId = crypto.randomUUID();
    ws.send({ type: "send", clientId, body });
    await ws.waitForJson((f) => f.type === "ack" && f.clientId === clientId);
    await agent.waitFor("the message on the agent's socket", (p) => p.includes("my card is"));

    const frame = await receiver.waitForSpan("the send frame after the agent viewed", (s) => s.name === "widget frame send" && s.attributes["supportdesk.conversation.hash"] !== undefined);
    // The publish to the agents' topic includes the write to this instance's agent socket.
    const publish = await receiver.waitForSpan("the publish to the agents' topic", (s) => s.traceId === frame.traceId && s.name === "publish conv:*:agents");
    const trace = inTrace(frame.traceId);
    const names = trace.map((s) => s.name);
    // Its batch held it alone: the statement storing it is in the frame's own trace.
    expect(names).toContain("insert messages");
    expect(frame.attributes["supportdesk.conversation.hash"]).toMatch(/^[0-9a-f]{16}$/);
    expect(frame.attributes["supportdesk.contact.hash"]).toMatch(/^[0-9a-f]{16}$/);
    expect(frame.attributes).toMatchObject({ "supportdesk.socket.kind": "widget", "supportdesk.frame.type": "send" });
    expect(publish.parentSpanId).toBe(frame.spanId);
    expect(publish.attributes["supportdesk.conversation.hash"]).toBe(frame.attributes["supportdesk.conversation.hash"]!);
    expect(publish.attributes["supportdesk.socket.bytes_written"]).toBeGreaterThan(0);

    const contactId = (await t.database.db.execute<{ id: string }>(sql`select contact_id as id from conversations where id = ${conversationId}`)) as unknown;
    const contact = rowsOf(contactId)[0]!.id;
    assertNothingRaw(receiver, [conversationId, contact, ana.id, body, "first words", token, "ana@example.com"]);
  });

  test("a job run is a span with its kind, attempt and outcome, its statements inside and its log lines naming it", async () => {
    const { handlers, tries } = recordingHandlers("test.traced", async (job) => {
      if (job.attempt === 1) throw new Error("the first try fails for alice@example.com");
    });
    const worker = new JobWorker({ db: t.database.db, log: t.ctx.log, handlers }, { ...TEST_WORKER, backoff: { baseMs: 1, capMs: 1 } });
    await schedule(t.database.db, "test.traced", { email: "alice@example.com" });
    await eventually(async () => (await worker.pass(), tries.length === 2), "both tries");
    const retry = await receiver.waitForSpan("the first try", (s) => s.name === "job test.traced" && s.attributes["supportdesk.job.attempt"] === 1);
    const done = await receiver.waitForSpan("the second try", (s) => s.name === "job test.traced" && s.attributes["supportdesk.job.attempt"] === 2);
    expect(retry.attributes["supportdesk.job.outcome"]).toBe("retry");
    expect(done.attributes["supportdesk.job.outcome"]).toBe("done");
    expect(retry.traceId).not.toBe(done.traceId);
    await receiver.waitForSpan("the try's outcome written", (s) => s.parentSpanId === done.spanId && s.name === "update jobs");
    const line = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "job try failed; it will be tried again");
    expect(line?.trace_id).toBe(retry.traceId);
    assertNothingRaw(receiver, ["alice@example.com", "the first try fails"]);
  });
});

/** drizzle's execute answers rows (postgres.js) or { rows } (PGlite). */
function rowsOf(result: unknown): Array<{ id: string }> {
  return Array.isArray(result) ? result : (result as { rows: Array<{ id: string }> }).rows;
}
