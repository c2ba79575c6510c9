import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { tickets } from "../db/schema/index.ts";
import { customerWrites, ticketsTestSetup, type InboxRow } from "../testing/fixtures.ts";
import { TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { topics } from "../realtime/topics.ts";
import { busBarrier } from "../testing/bus-barrier.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

// Ticket changes reach the sockets of the pages that show them: the list row (with the word that
// the list is stale) to the tickets lists, the ticket page's parts to that ticket's pages,
// rendered once; the conversation's pane block reaches the agents viewing it.
describe(`tickets, live (${storageMode})`, () => {
  let t: TestApp, ana: string, ben: string, inbox: InboxRow;
  let url: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    ({ t, ana, ben, inbox } = await ticketsTestSetup({ publicKey: "pk_tickets_live", handoffMode: "immediate" }));
    url = `${t.listen().replace("http", "ws")}/ws/inbox`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  const barrier = (socket: TestSocket, topic: string) => busBarrier(t.ctx.bus, socket, topic);

  async function agentSocket(cookie: string, follow?: Record<string, string>): Promise<TestSocket> {
    const socket = await openSocket(url, { cookie, origin: TEST_ORIGIN });
    sockets.push(socket);
    await socket.waitFor((f) => f.includes('id="live-status"'));
    if (follow) {
      socket.send({ type: "follow", ...follow });
      await barrier(socket, follow.page === "ticket" ? topics.ticket(follow.ticket!) : topics.tickets());
    }
    return socket;
  }

  const form = (conversationId: string, values: Record<string, string> = {}) => ({
    conversationId,
    subject: "Printer on fire",
    description: "",
    priority: "normal",
    assigneeId: "",
    status: "open",
    ...values,
  });

  test("a colleague's new ticket, its changes and comments reach another agent's socket", async () => {
    const bens = await agentSocket(ben, { page: "tickets" });
    const conversationId = await customerWrites(t, inbox, "it's smoking");
    expect((await t.post("/tickets", form(conversationId, { subject: "Printer <on> fire" }), { cookie: ana })).status).toBe(303);
    const [ticket] = await t.database.db.select().from(tickets).where(eq(tickets.conversationId, conversationId));
    const rowId = `ticket-row-${ticket!.id}`;

    // A list push: the row to swap in place where it is shown, and the list told it is stale.
    const pushed = JSON.parse(await bens.waitFor((f) => f.includes(rowId))) as { content: string; stale: string };
    expect(pushed.stale).toBe("tickets");
    const row = pushed.content;
    expect(row).toStartWith(`<tr id="${rowId}"`);
    expect(row).toContain('hx-swap-oob="true"');
    expect(row).toContain('data-status="open"');
    expect(row).toContain("Printer &lt;on&gt; fire");
    // A frame of its own: a <tr> cannot share a fragment with the page's <div>s.
    expect(row).not.toContain("ticket-facts-");
    // The ticket's page follows that ticket: its live parts go there, and not to the list.
    const page = await agentSocket(ben, { page: "ticket", ticket: ticket!.id });

    let from = bens.frames.length;
    let pageFrom = page.frames.length;
    await t.post(`/tickets/${ticket!.number}`, { status: "pending", priority: "urgent" }, { cookie: ana });
    const changedRow = (JSON.parse(await bens.waitFor((f) => f.includes(rowId), 5000, from)) as { content: string }).content;
    expect(changedRow).toContain('data-status="pending"');
    expect(changedRow).toContain('data-priority="urgent"');
    const changed = await page.waitFor((f) => f.includes(`ticket-history-${ticket!.id}`), 5000, pageFrom);
    expect(changed).toContain("Ana changed the status from Open to Pending");
    expect(changed).toContain("Ana changed the priority from Normal to Urgent");

    pageFrom = page.frames.length;
    await t.post(`/tickets/${ticket!.number}/comments`, { body: "Fire brigade <called>" }, { cookie: ana });
    const comment = await page.waitFor((f) => f.includes(`ticket-comments-${ticket!.id}`), 5000, pageFrom);
    expect(comment).toContain("Fire brigade &lt;called&gt;");
    await barrier(bens, topics.tickets());
    await barrier(page, topics.ticket(ticket!.id));
    // Each page heard only what it shows.
    expect(bens.frames.slice(from).filter((f) => f.includes(`ticket-history-${ticket!.id}`) || f.includes(`ticket-comments-${ticket!.id}`))).toEqual([]);
    expect(page.frames.filter((f) => f.includes(rowId))).toEqual([]);

    // Nothing changed: nothing is pushed.
    from = bens.frames.length;
    pageFrom = page.frames.length;
    await t.post(`/tickets/${ticket!.number}`, { status: "pending", priority: "urgent" }, { cookie: ana });
    await barrier(bens, topics.tickets());
    await barrier(page, topics.ticket(ticket!.id));
    expect([...bens.frames.slice(from), ...page.frames.slice(pageFrom)].filter((f) => f.includes(ticket!.id))).toEqual([]);
  });

  test("the conversation's pane hears of its ticket: made, closed, opened again", async () => {
    const conversationId = await customerWrites(t, inbox, "pane me");
    const bens = await agentSocket(ben, { page: "tickets" });
    bens.send({ type: "view", conversation: conversationId, after: 0 });
    // The replay of the customer's message: the view was handled.
    await bens.waitFor((f) => f.includes("pane me"));
    const block = `id="pane-ticket-${conversationId}"`;

    await t.post("/tickets", form(conversationId, { subject: "Follow up" }), { cookie: ana });
    const made = await bens.waitFor((f) => f.includes(block));
    expect(made).toContain('hx-swap-oob="true"');
    expect(made).toMatch(/Ticket #\d+: Follow up — Open/);
    const [ticket] = await t.database.db.select().from(tickets).where(eq(tickets.conversationId, conversationId));

    let from = bens.frames.length;
    await t.post(`/tickets/${ticket!.number}`, { status: "closed" }, { cookie: ana });
    const closed = await bens.waitFor((f) => f.includes(block), 5000, from);
    expect(closed).toContain(`href="/tickets/new?conversation=${conversationId}"`);
    expect(closed).toContain(`Last ticket: #${ticket!.number} (closed)`);

    // A change that leaves it closed does not touch the pane.
    from = bens.frames.length;
    await t.post(`/tickets/${ticket!.number}`, { priority: "high" }, { cookie: ana });
    await bens.waitFor((f) => f.includes(`ticket-row-${ticket!.id}`), 5000, from);
    await barrier(bens, topics.conversationAgents(conversationId));
    expect(bens.frames.slice(from).some((f) => f.includes(block))).toBe(false);

    from = bens.frames.length;
    await t.post(`/tickets/${ticket!.number}`, { status: "open" }, { cookie: ana });
    expect(await bens.waitFor((f) => f.includes(block), 5000, from)).toContain("Follow up — Open");
  });

  test("the pages connect to the agents' socket; the list asks for itself with its filters, the ticket page for its parts", async () => {
    const list = await (await t.request("/tickets?assignee=me&priority=high&sort=priority&q=a%20b", { headers: { cookie: ben } })).text();
    expect(list).toContain('<div class="tickets" hx-ws:connect="/ws/inbox">');
    // The browser holds no filter: the list's own request does (and the rows shown, #ticket-shown).
    expect(list).toContain('data-list="tickets" hx-get="/tickets?q=a+b&priority=high&assignee=me&sort=priority"');
    expect(list).toContain('hx-trigger="list-stale throttle:1s" hx-include="#ticket-shown" hx-swap="outerMorph"');
    expect(list).toMatch(/<input type="hidden" id="ticket-shown" name="shown" value="\d+"\/>/);
    expect(list).not.toContain("data-filter-");
    // public/live.js (the socket's signals, relative times) loads with tickets.js.
    expect(list).toMatch(/<script src="\/public\/live.js"><\/script>.*<script src="\/public\/tickets.js"><\/script>/s);
    const [any] = await t.database.db.select().from(tickets).limit(1);
    const page = await (await t.request(`/tickets/${any!.number}`, { headers: { cookie: ben } })).text();
    expect(page).toContain('hx-ws:connect="/ws/inbox"');
    expect(page).toContain(`data-ticket-id="${any!.id}"`);
    // After a reconnect (public/live.js), the page's parts, whole, out of band.
    expect(page).toContain(`data-list="ticket" hx-get="/tickets/${any!.number}?part=live" hx-trigger="list-stale throttle:1s" hx-swap="none"`);
    const parts = await (await t.request(`/tickets/${any!.number}?part=live`, { headers: { cookie: ben, "hx-request": "true" } })).text();
    expect(parts).toStartWith(`<div id="ticket-facts-${any!.id}"`);
    expect(parts).toContain(`<ol id="ticket-history-${any!.id}" hx-swap-oob="innerMorph">`);
    expect(parts).toContain(`<ol id="ticket-comments-${any!.id}" hx-swap-oob="innerMorph">`);
    expect(parts).not.toContain("<html");
    expect(page).toContain(`id="ticket-history-${any!.id}" class="ticket-history" aria-live="polite"`);
  });
});
