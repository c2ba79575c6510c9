// Private notes: stored once however often the form is retried, shown in the pane in order with the
// messages, pushed to the agents viewing the conversation and to no customer socket, escaped.
// With TEST_REDIS_URL the pushes go through Redis.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversationNotes } from "../db/schema/index.ts";
import { topics } from "../realtime/topics.ts";
import { busBarrier } from "../testing/bus-barrier.ts";
import { REDIS_URL } from "../testing/bus-instances.ts";
import { signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { readyWidgetSocket, widgetSocketSettled } from "../testing/widget-client.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";
import { customerWhoWrote } from "../widget/email-testing.ts";

describe(`private notes (${storageMode}${REDIS_URL ? ", Redis" : ""})`, () => {
  let t: TestApp, ana: TeamMember, ben: TeamMember, inbox: InboxRow, base: string;
  const sockets: TestSocket[] = [];
  const note = (conversationId: string, body: string, clientId = crypto.randomUUID(), who = ana) =>
    t.post(`/inbox/c/${conversationId}/notes`, { body, clientId }, { cookie: who.cookie, "hx-request": "true" });
  const reply = (conversationId: string, body: string) => t.post(`/inbox/c/${conversationId}/messages`, { body, clientId: crypto.randomUUID() }, { cookie: ana.cookie, "hx-request": "true" });
  const notesOf = (conversationId: string) => t.database.db.select().from(conversationNotes).where(eq(conversationNotes.conversationId, conversationId));

  async function viewing(member: TeamMember, conversationId: string): Promise<TestSocket> {
    const socket = await openSocket(`${base.replace("http", "ws")}/ws/inbox`, { cookie: member.cookie, origin: TEST_ORIGIN });
    sockets.push(socket);
    await socket.waitFor((f) => f.includes('id="live-status"'));
    socket.send({ type: "view", conversation: conversationId, after: 0 });
    await busBarrier(t.ctx.bus, socket, topics.conversationAgents(conversationId));
    return socket;
  }

  beforeAll(async () => {
    t = await createTestApp({ env: REDIS_URL ? { REDIS_URL, SESSION_SECRET: "notes-test-secret-0123456789abcdef" } : {} });
    ({ ana, ben, inbox } = await signedInTeam(t, { handoffMode: "immediate" }));
    base = t.listen();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  test("a note is stored once, however often its form is retried; the answer is the note and a fresh form still in note mode", async () => {
    const kim = await customerWhoWrote(t, inbox.publicKey, "My parcel is late");
    const clientId = crypto.randomUUID();
    const first = await note(kim.conversationId, "Courier says Tuesday", clientId);
    expect(first.status).toBe(201);
    const html = await first.text();
    expect(html).toContain('class="note"');
    expect(html).toContain("Private note");
    expect(html).toContain("Courier says Tuesday");
    expect(html).toContain(`hx-post="/inbox/c/${kim.conversationId}/notes"`);
    expect(html).toContain('aria-pressed="true"');
    const noteId = /id="note-([0-9a-f-]{36})"/.exec(html)![1];

    const again = await note(kim.conversationId, "Courier says Tuesday", clientId);
    expect(again.status).toBe(201);
    expect(await again.text()).toContain(`id="note-${noteId}"`);
    expect(await notesOf(kim.conversationId)).toHaveLength(1);
  });

  test("an empty note is refused with the form as it was; an unknown conversation is 404", async () => {
    const kim = await customerWhoWrote(t, inbox.publicKey, "Hello");
    const empty = await note(kim.conversationId, "   ");
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Write the note first.");
    expect((await note(crypto.randomUUID(), "lost")).status).toBe(404);
    expect(await notesOf(kim.conversationId)).toHaveLength(0);
  });

  test("the pane shows notes in order among the messages, styled apart, their text escaped", async () => {
    const kim = await customerWhoWrote(t, inbox.publicKey, "First question");
    await note(kim.conversationId, "<script>alert('note')</script> **check** the order");
    await reply(kim.conversationId, "Answer after the note");
    const page = await (await t.request(`/inbox/c/${kim.conversationId}`, { headers: { cookie: ana.cookie } })).text();
    const order = ["First question", 'class="note"', "Answer after the note"].map((s) => page.indexOf(s));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page).toContain("&lt;script&gt;alert('note')&lt;/script&gt; <strong>check</strong>");
    expect(page).not.toContain("<script>alert('note')");
  });

  test("a note reaches the agents viewing the conversation live, and never the customer's socket", async () => {
    const kim = await customerWhoWrote(t, inbox.publicKey, "Are you there?");
    const bens = await viewing(ben, kim.conversationId);
    const { ws: widget } = await readyWidgetSocket(base, kim.token, "http://localhost:3000", sockets);
    const [from, widgetFrom] = [bens.frames.length, widget.frames.length];

    await note(kim.conversationId, "Only agents: refund approved <b>quietly</b>");
    const pushed = await bens.waitFor((f) => f.includes('class="note"'), 5000, from);
    expect(pushed).toContain("Only agents: refund approved &lt;b&gt;quietly&lt;/b&gt;");
    expect(pushed).toContain(`id="messages-${kim.conversationId}"`);

    // A reply after it reaches the widget: everything before it has too, and none of it is the note.
    await reply(kim.conversationId, "We are on it");
    await widget.waitFor((f) => f.includes("We are on it"), 5000, widgetFrom);
    await widgetSocketSettled(widget);
    expect(widget.frames.slice(widgetFrom).filter((f) => f.includes("refund approved"))).toEqual([]);
  });
});
