// What an operator reads at /metrics after the app did things: a customer's message counted per
// sender and timed from commit to publish and from publish to the sockets' write, a refused
// message counted under its limit, emails sent and failed, a lost publish repaired by the
// sweeper, the statements timed by name; and the whole exposition parsed as a scraper does:
// names, types, HELP, histograms' buckets, and no label value that looks like an id.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendMessage } from "../testing/append-message.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { expositionProblems, parsePrometheusText, sampleValue, type Family } from "../testing/prom-text.ts";
import { smtpCapture, type SmtpCapture } from "../testing/smtp-capture.ts";
import { cookieFrom, createTestApp, TEST_ORIGIN, TEST_PASSWORD, type TestApp } from "../testing/test-app.ts";
import { readyWidgetSocket, widgetSocketSettled, wsUrl } from "../testing/widget-client.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";
import { appEnv, insertInbox, mode, okSession, send } from "../widget/widget-api-testing.ts";

const TOKEN = "metrics-flow-token-0123456789abcdef";
/** A client address for this run alone (TRUST_PROXY is on), from the benchmarking range 198.18.0.0/15. */
const ownAddress = () => ({ "x-forwarded-for": `198.18.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}` });
const PER_IP_ROOM = { CONVERSATIONS_PER_IP_PER_HOUR: "100000", SESSIONS_PER_IP_PER_MINUTE: "100000", MESSAGES_PER_IP_PER_MINUTE: "100000" };

describe(`metrics from inside the app (${mode})`, () => {
  let t: TestApp;
  let mail: SmtpCapture;
  let base = "";
  let cookie = "";
  const open: TestSocket[] = [];
  const sweeperClock = new ManualClock();

  beforeAll(async () => {
    mail = await smtpCapture();
    t = await createTestApp({
      env: {
        ...appEnv,
        METRICS_TOKEN: TOKEN,
        SMTP_URL: mail.url,
        MESSAGES_PER_CONTACT_PER_MINUTE: "3",
        OPEN_WIDGET_SOCKETS_PER_IP: "3",
        // With Redis the per-address counts are shared by every test app of the machine: this one
        // must not be refused for what the others spent, nor spend their sign-in budget.
        ...PER_IP_ROOM,
        TRUST_PROXY: "true",
      },
      clocks: { sweeper: sweeperClock },
    });
    base = t.listen();
    // The first admin, signed in from an address of this test's own (see PER_IP_ROOM).
    await t.post("/setup", { name: "Ana", email: "ana@example.com", password: TEST_PASSWORD });
    cookie = cookieFrom(await t.post("/login", { email: "ana@example.com", password: TEST_PASSWORD }, ownAddress()), "sd_session")!;
  });
  afterAll(async () => {
    for (const socket of open) socket.close();
    await t.close();
    await mail.close();
  });

  const scrape = async (): Promise<Map<string, Family>> => {
    const res = await t.request("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    return parsePrometheusText(await res.text());
  };
  const value = (families: Map<string, Family>, name: string, labels: Record<string, string> = {}) => sampleValue(families, name, labels) ?? 0;

  /** A customer of an immediate-handoff inbox with a ready socket, and an agent's socket following their conversation. */
  async function customerAndAgent() {
    const inbox = await insertInbox(t.database.db, { handoffMode: "immediate" });
    const { token } = await okSession(t, { inbox: inbox.publicKey });
    const { ws } = await readyWidgetSocket(base, token, TEST_ORIGIN, open);
    ws.send({ type: "send", clientId: crypto.randomUUID(), body: "Hello" });
    const conversationId = (await ws.waitForJson((f) => f.type === "status" && typeof f.conversation === "string")).conversation as string;
    const agent = await openSocket(wsUrl(base, "/ws/inbox"), { cookie, origin: TEST_ORIGIN });
    open.push(agent);
    await agent.waitFor((f) => f.includes("live-status"));
    agent.send({ type: "view", conversation: conversationId });
    // Frames are handled in order: once this typing signal reaches the customer, the view is done.
    const from = ws.frames.length;
    agent.send({ type: "typing", conversation: conversationId, on: false });
    await ws.waitFor((f) => f.includes('"type":"typing"'), 5000, from);
    return { ws, agent, token, conversationId };
  }

  test("a customer's message is counted under its sender and timed from commit to publish and from publish to each kind of socket", async () => {
    const { ws, agent } = await customerAndAgent();
    const before = await scrape();
    ws.send({ type: "send", clientId: "metrics-1", body: "Where is my order?" });
    await ws.waitForJson((f) => f.type === "ack" && f.clientId === "metrics-1");
    await agent.waitFor((f) => f.includes("Where is my order?"));
    const after = await scrape();

    const grew = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);
    expect(grew("supportdesk_messages_stored_total", { sender: "customer" })).toBe(1);
    expect(grew("supportdesk_messages_stored_total", { sender: "agent" })).toBe(0);
    expect(grew("supportdesk_message_commit_to_publish_seconds_count")).toBe(1);
    // The publish went out on this instance: written at once to the customer's socket and the agent's.
    expect(grew("supportdesk_message_publish_to_write_seconds_count", { kind: "widget", via: "local" })).toBe(1);
    expect(grew("supportdesk_message_publish_to_write_seconds_count", { kind: "inbox", via: "local" })).toBe(1);
    expect(value(after, "supportdesk_message_publish_to_write_seconds_sum", { kind: "widget", via: "local" })).toBeLessThan(1);
  });

  test("statements are timed by name (verb and table), and the pool's size and use are reported", async () => {
    const families = await scrape();
    const statements = families.get("supportdesk_db_statement_duration_seconds")!;
    const names = new Set(statements.samples.map((s) => s.labels.statement));
    expect(names).toContain("select conversations");
    expect(names).toContain("insert messages");
    for (const name of names) expect(name).toMatch(/^(select|insert|update|delete|begin|commit|rollback|savepoint|release|set|lock|other|ddl)( [a-z_]+)?$/);
    expect(value(families, "supportdesk_db_pool_size")).toBe(t.database.kind === "postgres" ? 10 : 1);
    expect(value(families, "supportdesk_db_pool_connections", { state: "busy" })).toBeGreaterThanOrEqual(0);
  });

  test("a message refused by the message limit counts as a refusal of that limit", async () => {
    const inbox = await insertInbox(t.database.db);
    const { token } = await okSession(t, { inbox: inbox.publicKey });
    const before = value(await scrape(), "supportdesk_rate_limit_refusals_total", { limit: "message" });
    for (let i = 0; i < 3; i++) expect((await send(t, token, { clientId: `ok-${i}`, body: `message ${i}` })).res.status).toBe(201);
    expect((await send(t, token, { clientId: "too-many", body: "one too many" })).res.status).toBe(429);
    const after = await scrape();
    expect(value(after, "supportdesk_rate_limit_refusals_total", { limit: "message" })).toBe(before + 1);
    expect(value(after, "supportdesk_rate_limit_refusals_total", { limit: "conversation" })).toBe(0);
  });

  test("an email the SMTP server accepts counts as sent; one it refuses with 550 as failed (rejected)", async () => {
    const before = await scrape();
    const mailer = t.ctx.mailer!;
    const count = mail.mails.length;
    await mailer.send({ to: "kim@example.com", subject: "Hello", text: "Hello", html: "<p>Hello</p>" });
    await mail.nth(count + 1);
    mail.refuseNext(550);
    await expect(mailer.send({ to: "kim@example.com", subject: "Again", text: "Again", html: "<p>Again</p>" })).rejects.toThrow();
    const after = await scrape();
    expect(value(after, "supportdesk_emails_sent_total")).toBe(value(before, "supportdesk_emails_sent_total") + 1);
    expect(value(after, "supportdesk_emails_failed_total", { reason: "rejected" })).toBe(value(before, "supportdesk_emails_failed_total", { reason: "rejected" }) + 1);
  });

  test("a message whose publish was lost is counted as a sweeper redelivery when the sweeper repairs it", async () => {
    const { ws, conversationId } = await customerAndAgent();
    const before = value(await scrape(), "supportdesk_sweeper_redeliveries_total");
    const { message } = await appendMessage(t.database.db, { conversationId, clientId: "orphan", sender: "agent", body: "committed, never published" });
    await sweeperClock.advance(1000);
    await widgetSocketSettled(ws);
    await sweeperClock.advance(1000);
    await ws.waitForJson((f) => f.type === "message" && f.message.id === message.id);
    expect(value(await scrape(), "supportdesk_sweeper_redeliveries_total")).toBe(before + 1);
  });

  test("conversations are counted per open status, with the queue's oldest wait", async () => {
    const families = await scrape();
    // customerAndAgent's conversations wait in the queue (nobody claimed them).
    expect(value(families, "supportdesk_conversations", { status: "queued" })).toBeGreaterThanOrEqual(2);
    expect(value(families, "supportdesk_queue_oldest_wait_seconds")).toBeGreaterThan(0);
    expect(value(families, "supportdesk_conversations", { status: "bot" })).toBeGreaterThanOrEqual(1);
  });

  test("a sign-in refused by the throttle and a socket refused by the per-address cap count under their limits", async () => {
    const before = await scrape();
    const email = `nobody-${crypto.randomUUID()}@example.com`;
    const from = ownAddress();
    let status = 0;
    for (let i = 0; i < 10 && status !== 429; i++) status = (await t.post("/login", { email, password: "wrong-password" }, from)).status;
    expect(status).toBe(429);
    // The earlier tests left two customers' sockets open; the cap is three.
    let refused = 0;
    for (let i = 0; i < 5 && refused === 0; i++) {
      await openSocket(wsUrl(base, "/ws/widget"), { origin: TEST_ORIGIN }).then((socket) => open.push(socket), () => refused++);
    }
    expect(refused).toBe(1);
    const after = await scrape();
    expect(value(after, "supportdesk_rate_limit_refusals_total", { limit: "login" })).toBe(value(before, "supportdesk_rate_limit_refusals_total", { limit: "login" }) + 1);
    expect(value(after, "supportdesk_rate_limit_refusals_total", { limit: "widget_sockets_per_ip" })).toBe(
      value(before, "supportdesk_rate_limit_refusals_total", { limit: "widget_sockets_per_ip" }) + 1,
    );
  });

  test("after all of that, the exposition follows the format and the conventions, and no label value looks like an id", async () => {
    const families = await scrape();
    expect(expositionProblems(families)).toEqual([]);
    const idLike = /[0-9a-f]{8}-[0-9a-f]{4}-|\d{5,}|[0-9a-f]{16,}|@/i;
    const values = [...families.values()].flatMap((f) => f.samples.flatMap((s) => Object.entries(s.labels).filter(([k]) => k !== "le")));
    expect(values.filter(([, v]) => idLike.test(v))).toEqual([]);
    expect(values.length).toBeGreaterThan(50);
  });
});

