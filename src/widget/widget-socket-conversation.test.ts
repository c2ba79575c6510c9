// The customer's socket over a conversation's life: typing, read receipts and status changes,
// the queue, resume, a lost publish repaired, and the limits on messages and reopening.
import { describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversations, messages } from "../db/schema/index.ts";
import { appendMessage } from "../testing/append-message.ts";
import { storageMode } from "../testing/test-database.ts";
import { readyWidgetSocket } from "../testing/widget-client.ts";
import { busMode, widgetSocketFixture } from "./socket-test-fixture.ts";

describe(`the widget socket over a conversation (${storageMode}, ${busMode})`, () => {
  const f = widgetSocketFixture();
  const { customer, agentSocket, start } = f;

  test("typing, read receipts and status changes travel between customer and agent", async () => {
    const c = await customer(f.immediateKey);
    const conversationId = await start(c, "Hi");
    const agent = await agentSocket();
    await f.view(agent, c, conversationId);

    c.ws.send({ type: "typing", on: true });
    expect(await agent.waitFor((f) => f.includes(`id="typing-${conversationId}"`))).toContain('data-on="true"');
    agent.send({ type: "typing", conversation: conversationId, on: true });
    await c.ws.waitForJson((f) => f.type === "typing" && f.on === true);

    const claimed = await f.t.post(`/inbox/c/${conversationId}/claim`, {}, { cookie: f.cookie });
    expect(claimed.status).toBe(200);
    expect(await c.ws.waitForJson((f) => f.type === "status" && f.status === "assigned")).toMatchObject({ agent: { name: "Ana" } });
    const reply = await f.t.post(`/inbox/c/${conversationId}/messages`, { body: "Hello, **Ana** here", clientId: "ana-1" }, { cookie: f.cookie });
    expect(reply.status).toBe(201);
    const message = await c.ws.waitForJson((f) => f.type === "message" && f.message.sender === "agent");
    // The text as typed, and the server's rendering of it that the widget shows.
    expect(message.message).toMatchObject({ body: "Hello, **Ana** here", html: "<p>Hello, <strong>Ana</strong> here</p>", agentName: "Ana" });

    c.ws.send({ type: "read", seq: message.message.seq });
    expect(await agent.waitFor((f) => f.includes(`id="seen-${conversationId}"`))).toContain(`data-seq="${message.message.seq}"`);
    // The pane opened later shows it too: the push swaps into a receipt the pane always has.
    const pane = await (await f.t.request(`/inbox/c/${conversationId}`, { headers: { cookie: f.cookie } })).text();
    expect(pane).toContain(`<div id="seen-${conversationId}" class="seen" data-seq="${message.message.seq}">Seen</div>`);
    expect((await f.t.post(`/inbox/c/${conversationId}/viewed`, { seq: "1" }, { cookie: f.cookie })).status).toBe(204);
    await c.ws.waitForJson((f) => f.type === "read" && f.seq === 1);

    await f.t.post(`/inbox/c/${conversationId}/close`, {}, { cookie: f.cookie });
    await c.ws.waitForJson((f) => f.type === "status" && f.status === "closed");
  });

  test("handoff puts the customer in the queue and tells them their place", async () => {
    const c = await customer();
    await start(c, "hi bot");
    c.ws.send({ type: "handoff" });
    const status = await c.ws.waitForJson((f) => f.type === "status" && f.status === "queued");
    expect(status.queuePosition).toBeGreaterThanOrEqual(1);
  });

  test("resume returns exactly the messages after the last seq the customer saw", async () => {
    const c = await customer(f.immediateKey);
    const conversationId = await start(c, "m1");
    for (const body of ["m2", "m3", "m4"]) {
      c.ws.send({ type: "send", clientId: body, body });
      await c.ws.waitForJson((f) => f.type === "ack" && f.clientId === body);
    }
    c.ws.close();
    // Written while the customer was away.
    await appendMessage(f.t.database.db, { conversationId, clientId: "away-1", sender: "agent", body: "m5 while you were away" });

    const { ws: back, ready } = await readyWidgetSocket(f.base, c.token, "https://shop.example", f.open);
    expect(ready.lastSeq).toBe(5);
    back.send({ type: "resume", lastSeq: 2 });
    await back.waitForJson((f) => f.type === "message" && f.message.seq === 5);
    await f.settled(back); // nothing more comes of the resume
    expect(back.json().filter((f) => f.type === "message").map((f) => f.message.body)).toEqual(["m3", "m4", "m5 while you were away"]);
  });

  test("a message committed whose publish was lost reaches the customer and the agents at the sweeper's second tick", async () => {
    const c = await customer(f.immediateKey);
    const conversationId = await start(c, "anyone?");
    const agent = await agentSocket();
    await f.view(agent, c, conversationId);
    // Stored the way a crashed instance leaves it: committed, never published.
    const { message } = await appendMessage(f.t.database.db, { conversationId, clientId: "orphan", sender: "agent", body: "committed, then the process died" });
    const arrived = () => c.ws.json().some((f) => f.type === "message" && f.message.id === message.id);
    // The first tick sees the gap and gives a publish that may still be on its way one more tick.
    await f.sweeperClock.advance(1000);
    await f.settled(c.ws);
    expect(arrived()).toBe(false);
    // The second repairs it (the clock waits for the pass): one second of sweeper time, not five of ours.
    await f.sweeperClock.advance(1000);
    await c.ws.waitForJson((f) => f.type === "message" && f.message.id === message.id, 1000);
    await agent.waitFor((f) => f.includes(`msg-${message.id}`), 1000);
  });

  test("past the message limit the customer gets rate_limited with retryAfter, and nothing is stored", async () => {
    const c = await customer(f.immediateKey);
    for (let i = 0; i < 8; i++) c.ws.send({ type: "send", clientId: `burst-${i}`, body: `burst ${i}` });
    c.ws.send({ type: "send", clientId: "burst-8", body: "one too many" });
    const error = await c.ws.waitForJson((f) => f.type === "error" && f.clientId === "burst-8");
    expect(error.code).toBe("rate_limited");
    expect(error.retryAfter).toBeGreaterThanOrEqual(1);
    expect(error.retryAfter).toBeLessThanOrEqual(60);
    expect(await f.t.database.db.select().from(messages).where(eq(messages.clientId, "burst-8"))).toEqual([]);
    expect(c.ws.json().filter((f) => f.type === "ack")).toHaveLength(8);
  });

  test("reopening a closed conversation counts as a new one: past the limit it stays closed and nothing is stored", async () => {
    const c = await customer(f.immediateKey);
    const conversationId = await start(c, "first");
    await f.t.post(`/inbox/c/${conversationId}/close`, {}, { cookie: f.cookie });
    c.ws.send({ type: "send", clientId: "reopen-1", body: "back again" });
    await c.ws.waitForJson((f) => f.type === "ack" && f.clientId === "reopen-1");
    await f.t.post(`/inbox/c/${conversationId}/close`, {}, { cookie: f.cookie });
    c.ws.send({ type: "send", clientId: "reopen-2", body: "and again" });
    const error = await c.ws.waitForJson((f) => f.type === "error" && f.clientId === "reopen-2");
    expect(error).toMatchObject({ code: "rate_limited" });
    expect(error.retryAfter).toBeGreaterThan(60);
    const [row] = await f.t.database.db.select().from(conversations).where(eq(conversations.id, conversationId));
    expect(row!.status).toBe("closed");
    expect(await f.t.database.db.select().from(messages).where(eq(messages.clientId, "reopen-2"))).toEqual([]);
  });
});
