// What the inbox's sockets hear about conversations: a row push that says the list is stale, and
// the notifications the server decides (a conversation waiting: every inbox page; a customer's
// message in an assigned conversation: its agent alone). Negative checks wait for a barrier.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { contacts, inboxes } from "../db/schema/index.ts";
import { topics } from "../realtime/topics.ts";
import { signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { busBarrier } from "../testing/bus-barrier.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";
import * as service from "./service.ts";

describe(`the inbox, live (${storageMode})`, () => {
  let t: TestApp, ana: TeamMember, ben: TeamMember, queueing: InboxRow, botInbox: InboxRow;
  let url: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    ({ ana, ben, inbox: queueing } = await signedInTeam(t, { handoffMode: "immediate" }));
    // A second inbox, in bot mode: a customer's first message goes to the bot, not the queue.
    [botInbox] = await t.database.db.insert(inboxes).values({ name: "Bot", publicKey: `pk_live_bot_${Date.now()}`, identitySecret: "s" }).returning() as [InboxRow];
    url = `${t.listen().replace("http", "ws")}/ws/inbox`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  const barrier = (socket: TestSocket, topic: string) => busBarrier(t.ctx.bus, socket, topic);

  /** An agent's socket on the inbox page (it follows the inbox list; its own topic it hears from the start). */
  async function inboxPage(member: TeamMember): Promise<TestSocket> {
    const socket = await openSocket(url, { cookie: member.cookie, origin: TEST_ORIGIN });
    sockets.push(socket);
    await socket.waitFor((f) => f.includes('id="live-status"'));
    socket.send({ type: "follow", page: "inbox" });
    await barrier(socket, topics.inbox());
    return socket;
  }

  const notifications = (socket: TestSocket, from = 0) =>
    socket.frames
      .slice(from)
      .filter((f) => f.startsWith('{"notify"'))
      .map((f) => JSON.parse(f).notify as { title: string; body: string; conversation: string });

  async function customer(inbox: InboxRow, name: string) {
    const [row] = await t.database.db.insert(contacts).values({ inboxId: inbox.id, name }).returning();
    const contactId = row!.id;
    const write = async (body: string, clientId: string = crypto.randomUUID()) =>
      (await service.customerSends({ db: t.database.db, bus: t.ctx.bus }, { inbox, contactId, clientId, body })).conversation.id;
    return { contactId, write };
  }

  test("a changed row goes to inbox pages with the list named stale: rows in place, then the list asks for itself", async () => {
    const page = await inboxPage(ana);
    const from = page.frames.length;
    const id = await (await customer(queueing, "Pia")).write("is anyone there?");
    const frame = await page.waitFor((f) => f.includes(`conv-row-${id}`), 5000, from);
    const parsed = JSON.parse(frame) as { content: string; stale: string };
    expect(parsed.stale).toBe("inbox");
    expect(parsed.content).toContain(`id="conv-row-${id}"`);
    expect(parsed.content).toContain('hx-swap-oob="true"');
  });

  test("a conversation entering the queue: every inbox page hears one notification, with the customer's name", async () => {
    const [anas, bens] = [await inboxPage(ana), await inboxPage(ben)];
    const [anaFrom, benFrom] = [anas.frames.length, bens.frames.length];
    const id = await (await customer(queueing, "Quinn <q>")).write("my parcel is late");
    for (const page of [anas, bens]) await barrier(page, topics.inbox());
    for (const [page, from] of [[anas, anaFrom], [bens, benFrom]] as const) {
      expect(notifications(page, from)).toEqual([{ title: "New conversation waiting", body: "Quinn <q>", conversation: id }]);
    }

    // Put back by its agent: it enters the queue again. A bot conversation is not waiting, until the customer asks.
    const claimed = await t.post(`/inbox/c/${id}/claim`, {}, { cookie: ana.cookie, "hx-request": "true" });
    expect(claimed.status).toBe(200);
    await barrier(anas, topics.inbox());
    const requeuedFrom = anas.frames.length;
    expect((await t.post(`/inbox/c/${id}/unassign`, {}, { cookie: ana.cookie, "hx-request": "true" })).status).toBe(200);
    const bot = await customer(botInbox, "Rae");
    const botId = await bot.write("hello bot");
    await barrier(anas, topics.inbox());
    expect(notifications(anas, requeuedFrom)).toEqual([{ title: "New conversation waiting", body: "Quinn <q>", conversation: id }]);
    const askedFrom = anas.frames.length;
    await service.customerAsksForHuman({ db: t.database.db, bus: t.ctx.bus }, { inbox: botInbox, contactId: bot.contactId });
    await barrier(anas, topics.inbox());
    expect(notifications(anas, askedFrom)).toEqual([{ title: "New conversation waiting", body: "Rae", conversation: botId }]);
  });

  test("a customer's message in an assigned conversation: its agent alone hears it, once, with the text", async () => {
    const [anas, bens] = [await inboxPage(ana), await inboxPage(ben)];
    const sam = await customer(queueing, "Sam");
    const id = await sam.write("first question");
    expect((await t.post(`/inbox/c/${id}/claim`, {}, { cookie: ana.cookie, "hx-request": "true" })).status).toBe(200);
    for (const page of [anas, bens]) await barrier(page, topics.inbox()); // the queue's notification is behind us
    const [anaFrom, benFrom] = [anas.frames.length, bens.frames.length];

    await sam.write("one more thing", "client-1");
    await sam.write("one more thing", "client-1"); // a retry: the original again, no second notification
    await barrier(anas, topics.agent(ana.id));
    await barrier(bens, topics.agent(ben.id));
    await barrier(bens, topics.inbox());
    expect(notifications(anas, anaFrom)).toEqual([{ title: "New message from Sam", body: "one more thing", conversation: id }]);
    expect(notifications(bens, benFrom)).toEqual([]);

    // The agent's notification says the start of a long message.
    const longFrom = anas.frames.length;
    await sam.write("x".repeat(500));
    await barrier(anas, topics.agent(ana.id));
    expect(notifications(anas, longFrom)[0]!.body).toBe("x".repeat(140));
  });
});
