import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { agents, ticketEvents, tickets } from "../db/schema/index.ts";
import { customerWrites, ticketsTestSetup, type InboxRow } from "../testing/fixtures.ts";
import { TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

const HTMX = { "hx-request": "true" };

describe(`creating tickets (${storageMode})`, () => {
  let t: TestApp, ana: string, anaId: string, ben: string, benId: string, inbox: InboxRow;
  beforeAll(async () => {
    ({ t, ana, anaId, ben, benId, inbox } = await ticketsTestSetup({ publicKey: "pk_tickets_create", handoffMode: "immediate" }));
  });
  afterAll(() => t.close());

  const get = (path: string, cookie = ana, headers: Record<string, string> = {}) => t.request(path, { headers: { cookie, ...headers } });
  const ticketsOf = (conversationId: string) => t.database.db.select().from(tickets).where(eq(tickets.conversationId, conversationId));
  const form = (conversationId: string, values: Record<string, string> = {}) => ({
    conversationId,
    subject: "Refund for order 1234",
    description: "",
    priority: "normal",
    assigneeId: "",
    status: "open",
    ...values,
  });

  test("the form starts from the conversation: subject from the first customer message (one line, shortened, escaped), me as assignee", async () => {
    const id = await customerWrites(t, inbox, '  My <b>"order"</b>\n\n never   arrived and I have been waiting for three weeks now, can somebody please look into it  ');
    await customerWrites(t, inbox, "a later message");
    const res = await get(`/tickets/new?conversation=${id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    // One line, cut at a word with an ellipsis; the quotes cannot end the attribute.
    const subject = html.match(/<input id="ticket-subject"[^>]*value="([^"]*)"/)?.[1];
    expect(subject).toBe("My <b>&#34;order&#34;</b> never arrived and I have been waiting for three weeks now,…");
    expect(html).toContain(`name="conversationId" value="${id}"`);
    expect(html).toMatch(new RegExp(`<option value="${anaId}" selected>Ana</option>`));
    expect(html).toMatch(/<option value="normal" selected>Normal<\/option>/);
    expect(html).toMatch(/<option value="open" selected>Open<\/option>/);
    // Every control has its label.
    for (const field of ["ticket-subject", "ticket-description", "ticket-priority", "ticket-assignee", "ticket-status"]) {
      expect(html).toContain(`<label for="${field}">`);
    }
  });

  test("create: the ticket and its created event, then the ticket's page; the pane shows it instead of the button", async () => {
    const id = await customerWrites(t, inbox, "Where is my parcel?");
    const pane = async () => (await get(`/inbox/c/${id}`, ana, HTMX)).text();
    expect(await pane()).toContain(`href="/tickets/new?conversation=${id}"`);

    const res = await t.post("/tickets", form(id, { subject: "Parcel <script>lost</script>", priority: "high", assigneeId: benId }), { cookie: ana });
    expect(res.status).toBe(303);
    const [ticket] = await ticketsOf(id);
    expect(res.headers.get("location")).toBe(`/tickets/${ticket!.number}`);
    expect(ticket).toMatchObject({ title: "Parcel <script>lost</script>", priority: "high", status: "open", assigneeId: benId, createdById: anaId });
    expect(ticket!.contactId).not.toBeNull();
    const events = await t.database.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket!.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "created", actorAgentId: anaId });

    const page = await (await get(`/tickets/${ticket!.number}`)).text();
    expect(page).toContain("Parcel &lt;script&gt;lost&lt;/script&gt;");
    expect(page).not.toContain("<script>lost");
    expect(page).toContain("Ana created the ticket as Open");
    expect(page).toContain("Where is my parcel?");
    expect(page).toContain(`href="/inbox/c/${id}"`);

    const after = await pane();
    expect(after).toContain(`href="/tickets/${ticket!.number}"`);
    expect(after).toContain(`Ticket #${ticket!.number}: Parcel &lt;script&gt;lost&lt;/script&gt; — Open`);
    expect(after).not.toContain(`href="/tickets/new?conversation=${id}"`);
  });

  test("a conversation has one ticket that is not closed: the second is refused with a link to the first; after closing, another can be made", async () => {
    const id = await customerWrites(t, inbox, "help");
    expect((await t.post("/tickets", form(id), { cookie: ana })).status).toBe(303);
    const [first] = await ticketsOf(id);

    // The form itself says so, and offers no second ticket.
    const formPage = await (await get(`/tickets/new?conversation=${id}`, ben)).text();
    expect(formPage).toContain(`href="/tickets/${first!.number}"`);
    expect(formPage).not.toContain('action="/tickets"');

    const second = await t.post("/tickets", form(id, { subject: "Another one", description: "what I typed" }), { cookie: ben });
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(html).toContain(`already has ticket #${first!.number}`);
    expect(html).toContain(`href="/tickets/${first!.number}"`);
    // What was typed is still there.
    expect(html).toContain('value="Another one"');
    expect(html).toContain("what I typed");
    expect(await ticketsOf(id)).toHaveLength(1);

    expect((await t.post(`/tickets/${first!.number}`, { status: "closed" }, { cookie: ana })).status).toBe(303);
    expect((await t.post("/tickets", form(id, { subject: "It broke again" }), { cookie: ben })).status).toBe(303);
    const all = await ticketsOf(id);
    expect(all.map((x) => x.status).sort()).toEqual(["closed", "open"]);
    const pane = await (await get(`/inbox/c/${id}`, ana, HTMX)).text();
    expect(pane).toContain("It broke again — Open");
  });

  test("two agents creating at once: exactly one ticket, and the other is told which", async () => {
    const id = await customerWrites(t, inbox, "urgent!");
    const [a, b] = await Promise.all([
      t.post("/tickets", form(id, { subject: "From Ana" }), { cookie: ana }),
      t.post("/tickets", form(id, { subject: "From Ben" }), { cookie: ben }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    const rows = await ticketsOf(id);
    expect(rows).toHaveLength(1);
    const loser = a.status === 409 ? a : b;
    expect(await loser.text()).toContain(`already has ticket #${rows[0]!.number}`);
  });

  test("bad input is refused with a message at the field, and nothing is stored", async () => {
    const id = await customerWrites(t, inbox, "bad input");
    const cases: Array<[Record<string, string>, string]> = [
      [{ status: "archived" }, "Choose a status"],
      [{ priority: "critical" }, "Choose a priority"],
      [{ assigneeId: "not-an-agent" }, "Choose an agent of the team"],
      [{ assigneeId: crypto.randomUUID() }, "That agent does not exist or has been deactivated."],
      [{ subject: "x".repeat(201) }, "Keep the subject to 200 characters (it has 201)."],
      [{ subject: "   \n " }, "Give the ticket a subject."],
    ];
    for (const [values, message] of cases) {
      const res = await t.post("/tickets", form(id, { description: "kept <i>text</i>", ...values }), { cookie: ana });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain(message);
      expect(html).toContain('aria-invalid="true"');
      expect(html).toContain("kept &lt;i&gt;text&lt;/i&gt;");
    }
    expect(await ticketsOf(id)).toHaveLength(0);
  });

  test("a deactivated agent cannot be given a ticket", async () => {
    const id = await customerWrites(t, inbox, "for a leaver");
    const [leaver] = await t.database.db
      .insert(agents)
      .values({ name: "Lea", email: "lea@example.com", passwordHash: "x", deactivatedAt: new Date() })
      .returning({ id: agents.id });
    const res = await t.post("/tickets", form(id, { assigneeId: leaver!.id }), { cookie: ana });
    expect(res.status).toBe(422);
    expect(await ticketsOf(id)).toHaveLength(0);
    expect(await (await get(`/tickets/new?conversation=${id}`)).text()).not.toContain(leaver!.id);
  });

  test("without a conversation: an empty subject to fill in, and a ticket without a customer", async () => {
    const page = await (await get("/tickets/new")).text();
    expect(page).toMatch(/<input id="ticket-subject"[^>]*value=""/);
    const res = await t.post("/tickets", form("", { subject: "Renew the TLS certificate" }), { cookie: ana });
    expect(res.status).toBe(303);
    const [row] = await t.database.db.select().from(tickets).where(eq(tickets.title, "Renew the TLS certificate"));
    expect(row).toMatchObject({ conversationId: null, contactId: null });
    const html = await (await get(res.headers.get("location")!)).text();
    expect(html).toContain("This ticket was not made from a conversation.");
  });

  test("unknown conversations and ticket numbers are 404s, never 500s", async () => {
    for (const path of ["/tickets/new?conversation=nope", `/tickets/new?conversation=${crypto.randomUUID()}`, "/tickets/0", "/tickets/abc", "/tickets/99999999999", "/tickets/424242", "/tickets/-1"]) {
      expect({ path, status: (await get(path)).status }).toEqual({ path, status: 404 });
    }
    expect((await t.post("/tickets", form(crypto.randomUUID()), { cookie: ana })).status).toBe(404);
    expect((await t.post("/tickets", form("garbage"), { cookie: ana })).status).toBe(404);
    expect((await t.post("/tickets/abc", { status: "open" }, { cookie: ana })).status).toBe(404);
    expect((await t.post("/tickets/424242", { status: "open" }, { cookie: ana })).status).toBe(404);
    expect((await t.post("/tickets/424242/comments", { body: "hi" }, { cookie: ana })).status).toBe(404);
    expect(t.logs.filter((line) => line.includes("request failed"))).toEqual([]);
  });

  test("signed out: every page sends to the sign-in, and nothing is stored", async () => {
    const id = await customerWrites(t, inbox, "signed out");
    for (const path of ["/tickets", "/tickets/new", "/tickets/1", "/tickets/more"]) {
      const res = await t.request(path);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toStartWith("/login?next=");
    }
    expect((await t.post("/tickets", form(id))).status).toBe(303);
    expect(await ticketsOf(id)).toHaveLength(0);
  });

  test("a page on another site cannot post with an agent's cookie", async () => {
    const id = await customerWrites(t, inbox, "csrf");
    const evil = { cookie: ana, origin: "https://evil.example" };
    expect((await t.post("/tickets", form(id), evil)).status).toBe(403);
    expect((await t.post("/tickets", form(id), { cookie: ana, "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect(await ticketsOf(id)).toHaveLength(0);
    expect((await t.post("/tickets", form(id), { cookie: ana, origin: TEST_ORIGIN })).status).toBe(303);
    const [ticket] = await ticketsOf(id);
    expect((await t.post(`/tickets/${ticket!.number}`, { status: "solved" }, evil)).status).toBe(403);
    expect((await t.post(`/tickets/${ticket!.number}/comments`, { body: "pwned" }, evil)).status).toBe(403);
    const [after] = await ticketsOf(id);
    expect(after!.status).toBe("open");
    const comments = await t.database.db.execute(sql`select count(*)::int as n from ticket_comments where ticket_id = ${ticket!.id}`);
    expect(JSON.stringify(comments)).toContain('"n":0');
  });
});
