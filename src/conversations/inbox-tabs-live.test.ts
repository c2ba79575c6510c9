// An inbox page hears the row changes of the tab its list shows, and no others: a customer's
// message in Ana's conversation reaches her Mine and everyone's All open with the row, her Queue
// page with a bare "stale" (her counts may change), and Ben's Mine not at all. Negative checks
// wait for a barrier on the topic the frame would have come by.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { contacts } from "../db/schema/index.ts";
import { topics } from "../realtime/topics.ts";
import { busBarrier } from "../testing/bus-barrier.ts";
import { signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";
import type { Tab } from "./model.ts";
import * as service from "./service.ts";

describe(`inbox pages hear their own tab (${storageMode})`, () => {
  let t: TestApp, ana: TeamMember, ben: TeamMember, inbox: InboxRow;
  let url: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    ({ ana, ben, inbox } = await signedInTeam(t, { handoffMode: "immediate" }));
    url = `${t.listen().replace("http", "ws")}/ws/inbox`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  /** An agent's inbox page whose list shows `tab`. */
  async function inboxPage(member: TeamMember, tab: Tab): Promise<TestSocket> {
    const socket = await openSocket(url, { cookie: member.cookie, origin: TEST_ORIGIN });
    sockets.push(socket);
    await socket.waitFor((f) => f.includes('id="live-status"'));
    socket.send({ type: "follow", page: "inbox", tab });
    await busBarrier(t.ctx.bus, socket, topics.inbox());
    return socket;
  }

  /** The rows a list push carries ("" for anything else). */
  const contentOf = (frame: string): string => (frame.startsWith('{"content"') ? (JSON.parse(frame) as { content: string }).content : "");
  const rowPushes = (socket: TestSocket, id: string, from: number) => socket.frames.slice(from).filter((f) => f.includes(`conv-row-${id}`));
  const bareStales = (socket: TestSocket, from: number) => socket.frames.slice(from).filter((f) => f === '{"stale":"inbox"}');

  test("a message reaches the pages whose tab shows its conversation with the row, the agent's other pages with a stale, no one else", async () => {
    const [anaMine, anaQueue, benMine, benOpen] = [await inboxPage(ana, "mine"), await inboxPage(ana, "queue"), await inboxPage(ben, "mine"), await inboxPage(ben, "open")];
    const [contact] = await t.database.db.insert(contacts).values({ inboxId: inbox.id, name: "Pia" }).returning();
    const deps = { db: t.database.db, bus: t.ctx.bus };
    const write = async (body: string) => (await service.customerSends(deps, { inbox, contactId: contact!.id, clientId: crypto.randomUUID(), body })).conversation.id;

    // A new conversation enters the queue: it may have entered any list, so every page hears it.
    const id = await write("is anyone there?");
    for (const page of [anaMine, anaQueue, benMine, benOpen]) await page.waitFor((f) => f.includes(`conv-row-${id}`), 5000);
    // Ana takes it: it left the queue and entered her Mine, and everyone's counts changed.
    expect((await t.post(`/inbox/c/${id}/claim`, {}, { cookie: ana.cookie, "hx-request": "true" })).status).toBe(200);
    for (const page of [anaMine, anaQueue, benMine, benOpen]) await page.waitFor((f) => contentOf(f).includes(`conv-row-${id}`) && contentOf(f).includes('data-status="assigned"'), 5000);

    const from = new Map([anaMine, anaQueue, benMine, benOpen].map((page) => [page, page.frames.length]));
    await write("one more thing");
    // Shown there: the row, with the list named stale.
    for (const page of [anaMine, benOpen]) {
      const frame = await page.waitFor((f) => f.includes(`conv-row-${id}`) && f.includes("one more thing"), 5000, from.get(page));
      expect(JSON.parse(frame).stale).toBe("inbox");
    }
    // Ana's Queue does not show it, but her "needs attention" counts it: the list asks for itself, without the row.
    await anaQueue.waitFor((f) => f === '{"stale":"inbox"}', 5000, from.get(anaQueue));
    await busBarrier(t.ctx.bus, anaQueue, topics.inboxCounts(ana.id));
    expect(rowPushes(anaQueue, id, from.get(anaQueue)!)).toEqual([]);
    // Ben's Mine neither shows it nor counts it: nothing.
    await busBarrier(t.ctx.bus, benMine, topics.inboxTab("mine"));
    await busBarrier(t.ctx.bus, benMine, topics.inboxMine(ben.id));
    expect(rowPushes(benMine, id, from.get(benMine)!)).toEqual([]);
    expect(bareStales(benMine, from.get(benMine)!)).toEqual([]);

    // Ben switches his list to All open: it asks for itself at once (what changed while it was read), then hears the row.
    const switched = benMine.frames.length;
    benMine.send({ type: "follow", page: "inbox", tab: "open" });
    await benMine.waitFor((f) => f === '{"stale":"inbox"}', 5000, switched);
    await write("and another");
    await benMine.waitFor((f) => f.includes(`conv-row-${id}`) && f.includes("and another"), 5000, switched);
  });

  test("a page asks for Mine: it is the agent's own, whatever the frame says besides", async () => {
    const page = await inboxPage(ben, "mine");
    page.send({ type: "follow", page: "inbox", tab: "mine", agent: ana.id });
    const [contact] = await t.database.db.insert(contacts).values({ inboxId: inbox.id, name: "Quinn" }).returning();
    const deps = { db: t.database.db, bus: t.ctx.bus };
    const id = (await service.customerSends(deps, { inbox, contactId: contact!.id, clientId: crypto.randomUUID(), body: "hello" })).conversation.id;
    expect((await t.post(`/inbox/c/${id}/claim`, {}, { cookie: ana.cookie, "hx-request": "true" })).status).toBe(200);
    await page.waitFor((f) => contentOf(f).includes(`conv-row-${id}`) && contentOf(f).includes('data-status="assigned"'), 5000);
    const from = page.frames.length;
    await service.customerSends(deps, { inbox, contactId: contact!.id, clientId: crypto.randomUUID(), body: "still there?" });
    await busBarrier(t.ctx.bus, page, topics.inboxMine(ben.id));
    await busBarrier(t.ctx.bus, page, topics.inboxTab("mine"));
    expect(rowPushes(page, id, from)).toEqual([]);
  });
});
