import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect as tcpConnect } from "node:net";
import * as conversationService from "../conversations/service.ts";
import { signedInAdmin, signedInTeam, type InboxRow } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";
import { agents } from "../db/schema/index.ts";
import { topics } from "../realtime/topics.ts";
import { busBarrier } from "../testing/bus-barrier.ts";
import { eventually } from "../testing/eventually.ts";
import { ManualClock } from "../testing/manual-clock.ts";

type Outcome = { opened: boolean; messages: string[]; closeCode?: number };

/** Connects, and closes once the server has said the socket is live (or the server closed it). */
function connect(url: string, headers: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    const outcome: Outcome = { opened: false, messages: [] };
    const ws = new WebSocket(url, { headers } as unknown as string[]);
    ws.onopen = () => (outcome.opened = true);
    ws.onmessage = (e) => {
      outcome.messages.push(String(e.data));
      ws.close();
    };
    ws.onclose = (e) => resolve({ ...outcome, closeCode: e.code });
  });
}

describe(`agents' socket (${storageMode})`, () => {
  let t: TestApp;
  let url: string;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp();
    cookie = await signedInAdmin(t);
    url = `${t.listen().replace("http", "ws")}/ws/inbox`;
  });
  afterAll(() => t.close());

  test("a signed-in agent on our origin is connected and told the inbox is live", async () => {
    const outcome = await connect(url, { cookie, origin: TEST_ORIGIN });
    expect(outcome.opened).toBe(true);
    expect(outcome.messages).toHaveLength(1);
    expect(outcome.messages[0]).toContain('id="live-status"');
    expect(outcome.messages[0]).toContain('hx-swap-oob="true"');
    // Live, without words: the header shows the socket only when it is down (views/inbox/live-status.tsx).
    expect(outcome.messages[0]).toContain('data-state="live"');
  });

  test("no session, no socket", async () => {
    const outcome = await connect(url, { origin: TEST_ORIGIN });
    expect(outcome.opened).toBe(false);
  });

  test("a page on another origin cannot use the agent's cookie to connect", async () => {
    expect((await connect(url, { cookie, origin: "https://evil.example" })).opened).toBe(false);
    expect((await connect(url, { cookie })).opened).toBe(false);
  });

  test("closed sockets leave the registry", async () => {
    expect((await connect(url, { cookie, origin: TEST_ORIGIN })).opened).toBe(true);
    await eventually(() => t.ctx.sockets.size === 0, "the closed socket leaves the registry");
  });

  test("an agent counts as online while any of their sockets is open", async () => {
    const agentId = (await t.ctx.presence.onlineAgentIds()).size;
    expect(agentId).toBe(0);
    const first = new WebSocket(url, { headers: { cookie, origin: TEST_ORIGIN } } as unknown as string[]);
    await new Promise((resolve) => (first.onopen = resolve));
    const second = new WebSocket(url, { headers: { cookie, origin: TEST_ORIGIN } } as unknown as string[]);
    await new Promise((resolve) => (second.onopen = resolve));
    expect((await t.ctx.presence.onlineAgentIds()).size).toBe(1);
    first.close();
    // The registry and presence are updated by the same close handler: once one socket is left, it ran.
    await eventually(() => t.ctx.sockets.size === 1, "the first socket's close is handled");
    expect((await t.ctx.presence.onlineAgentIds()).size).toBe(1);
    second.close();
    await eventually(() => t.ctx.sockets.size === 0, "the second socket's close is handled");
    expect((await t.ctx.presence.onlineAgentIds()).size).toBe(0);
  });

  test("a socket that stops reading is closed once 1 MiB is waiting for it, instead of buffering without bound", async () => {
    const { port } = new URL(url);
    // A client that completes the upgrade and then never reads another byte.
    const stalled = tcpConnect({ host: "127.0.0.1", port: Number(port) });
    await new Promise((resolve) => stalled.once("connect", resolve));
    stalled.write(
      `GET /ws/inbox HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: ${TEST_ORIGIN}\r\nCookie: ${cookie}\r\n\r\n`,
    );
    await new Promise((resolve) => stalled.once("data", resolve));
    // Every agent's socket hears its own topic.
    const agentTopic = topics.agent((await t.database.db.select().from(agents).limit(1))[0]!.id);
    stalled.pause();
    await eventually(() => t.ctx.sockets.size === 1, "the socket is open");
    const chunk = `<div id="flood">${"x".repeat(60 * 1024)}</div>`;
    for (let i = 0; i < 600 && t.ctx.sockets.size > 0; i++) {
      t.ctx.bus.publish(agentTopic, chunk);
      // Lets Bun write what it can, so that the backlog builds up as it would in production.
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await eventually(() => t.ctx.sockets.size === 0, "the stalled socket is closed");
    stalled.destroy();
  });
});

describe(`agents' socket: following a conversation from the pane's last seq (${storageMode})`, () => {
  let t: TestApp;
  let url: string;
  let ana: string;
  let anaId: string;
  let inbox: InboxRow;
  const sockets: TestSocket[] = [];
  const sweeperClock = new ManualClock();

  beforeAll(async () => {
    t = await createTestApp({ clocks: { sweeper: sweeperClock } });
    const team = await signedInTeam(t, { handoffMode: "immediate" });
    ({ inbox } = team);
    ana = team.ana.cookie;
    anaId = team.ana.id;
    url = `${t.listen().replace("http", "ws")}/ws/inbox`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  async function agentSocket(): Promise<TestSocket> {
    const socket = await openSocket(url, { cookie: ana, origin: TEST_ORIGIN });
    sockets.push(socket);
    await socket.waitFor((f) => f.includes('id="live-status"'));
    return socket;
  }

  /** The conversation page as the agent's browser gets it: the seq its transcript ends with. */
  async function renderedSeq(conversationId: string): Promise<number> {
    const html = await (await t.request(`/inbox/c/${conversationId}`, { headers: { cookie: ana } })).text();
    const seq = /<section class="conversation"[^>]*data-rendered-seq="(\d+)"/.exec(html)?.[1];
    expect(seq).toBeDefined();
    return Number(seq);
  }

  const frameOf = (conversationId: string, messageId: string) => (f: string) =>
    f.includes(`<div id="messages-${conversationId}" hx-swap-oob="beforeend">`) && f.includes(`id="msg-${messageId}"`);

  /** Everything published to the socket before now has arrived (a marker on Ana's own topic, which every socket of hers hears). */
  const barrier = (socket: TestSocket) => busBarrier(t.ctx.bus, socket, topics.agent(anaId));

  /** The customer writes; returns the new message's id. */
  async function customerSays(contactId: string, body: string): Promise<{ conversationId: string; messageId: string; seq: number }> {
    const { conversation, message } = await conversationService.customerSends(
      { db: t.database.db, bus: t.ctx.bus },
      { inbox, contactId, clientId: crypto.randomUUID(), body },
    );
    return { conversationId: conversation.id, messageId: message.id, seq: message.seq };
  }

  test("a message committed between the pane's render and its view frame reaches the agent, exactly once", async () => {
    const contactId = Bun.randomUUIDv7();
    const first = await customerSays(contactId, "hello");
    const seq = await renderedSeq(first.conversationId);
    expect(seq).toBe(first.seq);

    // Committed after the render, before the socket follows the conversation: no one is subscribed yet.
    const between = await customerSays(contactId, "are you there?");
    const socket = await agentSocket();
    socket.send({ type: "view", conversation: first.conversationId, after: seq });
    const pushed = await socket.waitFor(frameOf(first.conversationId, between.messageId));
    expect(pushed).toContain("are you there?");
    expect(pushed).toContain(`data-seq="${between.seq}"`);

    // Live from here on, and nothing comes twice: not from the replay, the topic or the sweeper.
    const later = await customerSays(contactId, "hello again");
    await socket.waitFor(frameOf(first.conversationId, later.messageId));
    await sweeperClock.advance(2000); // the sweeper's grace tick and its repair tick
    await barrier(socket);
    const copies = (messageId: string) => socket.frames.filter((f) => f.includes(`id="msg-${messageId}"`)).length;
    expect(copies(first.messageId)).toBe(0); // the page has it already
    expect(copies(between.messageId)).toBe(1);
    expect(copies(later.messageId)).toBe(1);
  }, 15_000);

  test("with nothing new since the render, the view frame brings nothing but what comes next", async () => {
    const contactId = Bun.randomUUIDv7();
    const first = await customerSays(contactId, "one");
    const socket = await agentSocket();
    const watching = t.ctx.sweeper.watchedCount;
    socket.send({ type: "view", conversation: first.conversationId, after: await renderedSeq(first.conversationId) });
    // A repeated view frame (the page sends one again on every new connection) changes nothing.
    socket.send({ type: "view", conversation: first.conversationId, after: 0 });
    // The view is done once the sweeper watches the conversation: "two" comes after it, only live.
    await eventually(() => t.ctx.sweeper.watchedCount === watching + 1, "the view is handled");
    const next = await customerSays(contactId, "two");
    await socket.waitFor(frameOf(first.conversationId, next.messageId));
    await barrier(socket);
    expect(socket.frames.filter((f) => f.includes(`<div id="messages-${first.conversationId}"`))).toHaveLength(1);
  });

  test("a bad `after` is ignored like any malformed frame: no crash, no subscription, the socket keeps working", async () => {
    const contactId = Bun.randomUUIDv7();
    const first = await customerSays(contactId, "first");
    const socket = await agentSocket();
    for (const after of [-1, 1.5, "1e3", "abc", 2 ** 31, null, {}, [1], true]) {
      socket.send({ type: "view", conversation: first.conversationId, after });
    }
    // Frames are handled in order: once another conversation's replay is here, the bad ones were handled.
    const other = await customerSays(Bun.randomUUIDv7(), "another customer");
    socket.send({ type: "view", conversation: other.conversationId, after: 0 });
    await socket.waitFor(frameOf(other.conversationId, other.messageId));
    const ignored = await customerSays(contactId, "nobody follows this yet");
    await barrier(socket);
    expect(socket.frames.some((f) => f.includes(`id="msg-${ignored.messageId}"`))).toBe(false);

    // The socket still serves: a valid frame (a form field's digits are fine too) replays and follows.
    socket.send({ type: "view", conversation: first.conversationId, after: String(first.seq) });
    await socket.waitFor(frameOf(first.conversationId, ignored.messageId));
    expect(t.logs.filter((line) => line.includes(" ERROR "))).toEqual([]);
  });
});
