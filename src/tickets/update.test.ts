import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { agents, ticketComments, ticketEvents, tickets } from "../db/schema/index.ts";
import { customerWrites, ticketsTestSetup, type InboxRow } from "../testing/fixtures.ts";
import type { TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

const HTMX = { "hx-request": "true" };

describe(`changing tickets (${storageMode})`, () => {
  let t: TestApp, ana: string, anaId: string, ben: string, benId: string, inbox: InboxRow;
  beforeAll(async () => {
    ({ t, ana, anaId, ben, benId, inbox } = await ticketsTestSetup({ publicKey: "pk_tickets_update", handoffMode: "immediate" }));
  });
  afterAll(() => t.close());

  const db = () => t.database.db;

  /** A ticket made through the form; returns its row. */
  async function ticket(values: Record<string, string> = {}) {
    const conversationId = await customerWrites(t, inbox, "something broke");
    const res = await t.post(
      "/tickets",
      { conversationId, subject: "Broken", description: "", priority: "normal", assigneeId: "", status: "open", ...values },
      { cookie: ana },
    );
    expect(res.status).toBe(303);
    const [row] = await db().select().from(tickets).where(eq(tickets.conversationId, conversationId));
    return row!;
  }
  const reload = async (id: string) => (await db().select().from(tickets).where(eq(tickets.id, id)))[0]!;
  const historyOf = (id: string) => db().select().from(ticketEvents).where(eq(ticketEvents.ticketId, id)).orderBy(asc(ticketEvents.createdAt), asc(ticketEvents.id));

  test("each changed field is one history row with from, to, who and when, and updated_at moves; unchanged fields write nothing", async () => {
    const before = await ticket();
    await Bun.sleep(5);
    const res = await t.post(`/tickets/${before.number}`, { status: "pending", priority: "urgent", assigneeId: benId }, { cookie: ben });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/tickets/${before.number}?done=saved`);
    const after = await reload(before.id);
    expect(after).toMatchObject({ status: "pending", priority: "urgent", assigneeId: benId });
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    const history = await historyOf(before.id);
    expect(history.map((e) => [e.type, e.from, e.to, e.actorAgentId])).toEqual([
      ["created", null, "open", anaId],
      ["status", "open", "pending", benId],
      ["priority", "normal", "urgent", benId],
      ["assignee", null, benId, benId],
    ]);
    expect(history[1]!.createdAt.getTime()).toBe(after.updatedAt.getTime());

    // The same values again: nothing is written, and updated_at stays.
    const same = await t.post(`/tickets/${before.number}`, { status: "pending", priority: "urgent", assigneeId: benId }, { cookie: ana });
    expect(same.headers.get("location")).toBe(`/tickets/${before.number}?done=unchanged`);
    expect(await historyOf(before.id)).toHaveLength(4);
    expect((await reload(before.id)).updatedAt.getTime()).toBe(after.updatedAt.getTime());

    // One field: one row.
    await t.post(`/tickets/${before.number}`, { status: "pending", priority: "low", assigneeId: benId }, { cookie: ana });
    const last = await historyOf(before.id);
    expect(last).toHaveLength(5);
    expect(last[4]).toMatchObject({ type: "priority", from: "urgent", to: "low", actorAgentId: anaId });

    // The page tells the story with names.
    const page = await (await t.request(`/tickets/${before.number}?done=saved`, { headers: { cookie: ana } })).text();
    for (const line of [
      "Ana created the ticket as Open",
      "Ben changed the status from Open to Pending",
      "Ben changed the priority from Normal to Urgent",
      "Ben assigned it to Ben",
      "Ana changed the priority from Urgent to Low",
      ">Saved.<",
    ]) {
      expect(page).toContain(line);
    }
    expect(page.indexOf("Ben changed the status")).toBeLessThan(page.indexOf("Ana changed the priority from Urgent"));
  });

  test("reassigning and unassigning name both agents", async () => {
    const row = await ticket({ assigneeId: anaId });
    await t.post(`/tickets/${row.number}`, { assigneeId: benId }, { cookie: ana });
    await t.post(`/tickets/${row.number}`, { assigneeId: "" }, { cookie: ben });
    const page = await (await t.request(`/tickets/${row.number}`, { headers: { cookie: ana } })).text();
    expect(page).toContain("Ana reassigned it from Ana to Ben");
    expect(page).toContain("Ben unassigned Ben");
    expect((await reload(row.id)).assigneeId).toBeNull();
  });

  test("a form opened before a colleague's change applies only what this agent changed", async () => {
    const row = await ticket();
    // Ben's form showed open/normal/nobody; meanwhile Ana made it pending.
    await t.post(`/tickets/${row.number}`, { status: "pending" }, { cookie: ana });
    await t.post(
      `/tickets/${row.number}`,
      { status: "open", priority: "high", assigneeId: "", wasStatus: "open", wasPriority: "normal", wasAssigneeId: "" },
      { cookie: ben },
    );
    const after = await reload(row.id);
    expect(after.status).toBe("pending");
    expect(after.priority).toBe("high");
    expect((await historyOf(row.id)).map((e) => e.type)).toEqual(["created", "status", "priority"]);
  });

  test("solving sets resolved_at; closing keeps it; opening again clears it", async () => {
    const row = await ticket();
    expect(row.resolvedAt).toBeNull();
    await t.post(`/tickets/${row.number}`, { status: "solved" }, { cookie: ana });
    const solved = await reload(row.id);
    expect(solved.resolvedAt).not.toBeNull();
    await Bun.sleep(5);
    await t.post(`/tickets/${row.number}`, { status: "closed" }, { cookie: ana });
    expect((await reload(row.id)).resolvedAt?.getTime()).toBe(solved.resolvedAt!.getTime());
    await t.post(`/tickets/${row.number}`, { status: "open" }, { cookie: ana });
    expect((await reload(row.id)).resolvedAt).toBeNull();
  });

  test("opening a closed ticket again is refused while its conversation has another open one", async () => {
    const first = await ticket();
    await t.post(`/tickets/${first.number}`, { status: "closed" }, { cookie: ana });
    const res = await t.post(
      "/tickets",
      { conversationId: first.conversationId!, subject: "Second", description: "", priority: "normal", assigneeId: "", status: "open" },
      { cookie: ana },
    );
    expect(res.status).toBe(303);
    const second = (await db().select().from(tickets).where(eq(tickets.title, "Second")))[0]!;

    const refused = await t.post(`/tickets/${first.number}`, { status: "open" }, { cookie: ben });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain(`already has ticket #${second.number}`);
    expect(html).toContain(`href="/tickets/${second.number}"`);
    const viaHtmx = await t.post(`/tickets/${first.number}`, { status: "pending" }, { cookie: ben, ...HTMX });
    expect(viaHtmx.status).toBe(409);
    expect(await viaHtmx.text()).toContain(`href="/tickets/${second.number}"`);
    expect((await reload(first.id)).status).toBe("closed");
    expect(await historyOf(first.id)).toHaveLength(2);
  });

  test("bad values are refused with a clear message, and nothing changes", async () => {
    const row = await ticket();
    const [leaver] = await db().insert(agents).values({ name: "Lea", email: "lea2@example.com", passwordHash: "x", deactivatedAt: new Date() }).returning({ id: agents.id });
    const cases: Array<[Record<string, string>, string]> = [
      [{ status: "archived" }, "Choose a status"],
      [{ priority: "critical" }, "Choose a priority"],
      [{ assigneeId: "bob" }, "Choose an agent of the team"],
      [{ assigneeId: leaver!.id }, "That agent does not exist or has been deactivated."],
    ];
    for (const [values, message] of cases) {
      const page = await t.post(`/tickets/${row.number}`, { status: "solved", ...values }, { cookie: ana });
      expect(page.status).toBe(422);
      const html = await page.text();
      expect(html).toContain(message);
      expect(html).toContain('aria-invalid="true"');
      const fragment = await t.post(`/tickets/${row.number}`, { status: "solved", ...values }, { cookie: ana, ...HTMX });
      expect(fragment.status).toBe(422);
      expect(await fragment.text()).toContain(message);
    }
    expect(await reload(row.id)).toMatchObject({ status: "open", priority: "normal", assigneeId: null });
    expect(await historyOf(row.id)).toHaveLength(1);
  });

  test("with htmx a change answers with the page's new parts out of band, and says so", async () => {
    const row = await ticket();
    const res = await t.post(`/tickets/${row.number}`, { status: "pending", wasStatus: "open" }, { cookie: ana, ...HTMX });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<div id="ticket-facts-${row.id}"`);
    expect(html).toContain('hx-swap-oob="innerHTML"');
    expect(html).toContain('data-status="pending"');
    // The whole history, morphed in: a change that arrives twice (this answer, then the push) shows once.
    expect(html).toContain(`<ol id="ticket-history-${row.id}" hx-swap-oob="innerMorph">`);
    expect(html).toContain("Ana created the ticket");
    expect(html).toContain("Ana changed the status from Open to Pending");
    expect(html).toContain(">Saved.<");
    // The last refusal goes.
    expect(html).toContain(`<div id="ticket-props-error-${row.id}" hx-swap-oob="innerHTML"></div>`);
    const nothing = await (await t.post(`/tickets/${row.number}`, { status: "pending", wasStatus: "pending" }, { cookie: ana, ...HTMX })).text();
    expect(nothing).toContain("Nothing to save");
    expect(nothing).not.toContain("ticket-history-");
  });

  test("internal comments: added with who and when, escaped; empty and too long are refused; the text is kept", async () => {
    const row = await ticket();
    await Bun.sleep(5);
    const res = await t.post(`/tickets/${row.number}/comments`, { body: "  Called the <b>courier</b>\nthey will check  " }, { cookie: ben });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/tickets/${row.number}?done=commented`);
    const [comment] = await db().select().from(ticketComments).where(eq(ticketComments.ticketId, row.id));
    expect(comment).toMatchObject({ authorId: benId, body: "Called the <b>courier</b>\nthey will check" });
    expect((await reload(row.id)).updatedAt.getTime()).toBeGreaterThan(row.updatedAt.getTime());
    const page = await (await t.request(`/tickets/${row.number}`, { headers: { cookie: ana } })).text();
    expect(page).toContain("Called the &lt;b&gt;courier&lt;/b&gt;\nthey will check");
    expect(page).toMatch(/class="ticket-comment-author">Ben<\/span> <time datetime="[^"]+"/);

    const empty = await t.post(`/tickets/${row.number}/comments`, { body: "   " }, { cookie: ana });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Write a comment first.");
    const long = "y".repeat(5001);
    const tooLong = await t.post(`/tickets/${row.number}/comments`, { body: long }, { cookie: ana });
    expect(tooLong.status).toBe(422);
    const html = await tooLong.text();
    expect(html).toContain("Keep a comment to 5000 characters (it has 5001).");
    expect(html).toContain(long);
    const viaHtmx = await t.post(`/tickets/${row.number}/comments`, { body: "" }, { cookie: ana, ...HTMX });
    expect(viaHtmx.status).toBe(422);
    expect(await viaHtmx.text()).toContain("Write a comment first.");
    expect(await db().select().from(ticketComments).where(eq(ticketComments.ticketId, row.id))).toHaveLength(1);

    const added = await t.post(`/tickets/${row.number}/comments`, { body: "second" }, { cookie: ana, ...HTMX });
    expect(added.status).toBe(201);
    const fragment = await added.text();
    // A fresh, empty form in place of the one posted; every comment, morphed in (once however often it arrives).
    expect(fragment).toStartWith(`<form id="ticket-comment-form-${row.id}"`);
    expect(fragment).toMatch(/<textarea [^>]*><\/textarea>/);
    expect(fragment).toContain(`<ol id="ticket-comments-${row.id}" hx-swap-oob="innerMorph">`);
    expect(fragment).toContain("Called the &lt;b&gt;courier&lt;/b&gt;");
    expect(fragment).toContain(">second<");
  });
});
