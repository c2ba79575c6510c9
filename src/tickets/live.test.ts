import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { tickets } from "../db/schema/index.ts";
import { customerWrites, ticketsTestSetup, type InboxRow } from "../testing/fixtures.ts";
import { TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

// Ticket changes reach every agent's socket (the `tickets` topic): the list row and the ticket
// page's parts, rendered once; the conversation's pane block reaches the agents viewing it.
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

  async function agentSocket(cookie: string): Promise<TestSocket> {
    const socket = await openSocket(url, { cookie, origin: TEST_ORIGIN });
    sockets.push(socket);
    await socket.waitFor((f) => f.includes('id="live-status"'));
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
    const bens = await agentSocket(ben);
    const conversationId = await customerWrites(t, inbox, "it's smoking");
    expect((await t.post("/tickets", form(conversationId, { subject: "Printer <on> fire" }), { cookie: ana })).status).toBe(303);
    const [ticket] = await t.database.db.select().from(tickets).where(eq(tickets.conversationId, conversationId));
    const rowId = `ticket-row-${ticket!.id}`;

    const row = await bens.waitFor((f) => f.includes(rowId));
    expect(row).toStartWith(`<tr id="${rowId}"`);
    expect(row).toContain('hx-swap-oob="true"');
    expect(row).toContain('data-status="open"');
    expect(row).toContain("Printer &lt;on&gt; fire");
    // A frame of its own: a <tr> cannot share a fragment with the page's <div>s.
    expect(row).not.toContain("ticket-facts-");
    const created = await bens.waitFor((f) => f.includes(`ticket-facts-${ticket!.id}`));
    expect(created).toContain("Ana created the ticket as Open");

    let from = bens.frames.length;
    await t.post(`/tickets/${ticket!.number}`, { status: "pending", priority: "urgent" }, { cookie: ana });
    const changedRow = await bens.waitFor((f) => f.includes(rowId), 5000, from);
    expect(changedRow).toContain('data-status="pending"');
    expect(changedRow).toContain('data-priority="urgent"');
    const changed = await bens.waitFor((f) => f.includes(`ticket-history-${ticket!.id}`), 5000, from);
    expect(changed).toContain("Ana changed the status from Open to Pending");
    expect(changed).toContain("Ana changed the priority from Normal to Urgent");

    from = bens.frames.length;
    await t.post(`/tickets/${ticket!.number}/comments`, { body: "Fire brigade <called>" }, { cookie: ana });
    const comment = await bens.waitFor((f) => f.includes(`ticket-comments-${ticket!.id}`), 5000, from);
    expect(comment).toContain("Fire brigade &lt;called&gt;");

    // Nothing changed: nothing is pushed.
    from = bens.frames.length;
    await t.post(`/tickets/${ticket!.number}`, { status: "pending", priority: "urgent" }, { cookie: ana });
    await Bun.sleep(100);
    expect(bens.frames.slice(from).filter((f) => f.includes(ticket!.id))).toEqual([]);
  });

  test("the conversation's pane hears of its ticket: made, closed, opened again", async () => {
    const conversationId = await customerWrites(t, inbox, "pane me");
    const bens = await agentSocket(ben);
    bens.send({ type: "view", conversation: conversationId });
    await Bun.sleep(100);
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
    await Bun.sleep(50);
    expect(bens.frames.slice(from).some((f) => f.includes(block))).toBe(false);

    from = bens.frames.length;
    await t.post(`/tickets/${ticket!.number}`, { status: "open" }, { cookie: ana });
    expect(await bens.waitFor((f) => f.includes(block), 5000, from)).toContain("Follow up — Open");
  });

  test("the pages connect to the agents' socket and carry what the browser needs to place pushed rows", async () => {
    const list = await (await t.request("/tickets?assignee=me&priority=high&sort=priority", { headers: { cookie: ben } })).text();
    expect(list).toContain('hx-ws:connect="/ws/inbox"');
    expect(list).toMatch(/<div class="tickets" hx-ws:connect="\/ws\/inbox" data-agent-id="[0-9a-f-]{36}">/);
    expect(list).toContain('data-filter-assignee="me"');
    expect(list).toContain('data-filter-priority="high"');
    expect(list).toContain('data-sort="priority"');
    // tickets.js calls public/relative-time.js, so that loads first.
    expect(list).toMatch(/<script src="\/public\/relative-time.js"><\/script>.*<script src="\/public\/tickets.js"><\/script>/s);
    const [any] = await t.database.db.select().from(tickets).limit(1);
    const page = await (await t.request(`/tickets/${any!.number}`, { headers: { cookie: ben } })).text();
    expect(page).toContain('hx-ws:connect="/ws/inbox"');
    expect(page).toContain(`data-ticket-id="${any!.id}"`);
    expect(page).toContain(`id="ticket-history-${any!.id}" class="ticket-history" aria-live="polite"`);
  });
});
