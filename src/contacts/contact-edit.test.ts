// Agents edit who a customer is in the contact panel (issue 18, item 11): name, email and notes,
// saved with htmx, refused with the reasons beside the fields, pushed to the other agents viewing
// the conversation with its list row; notes never reach the customer. With TEST_REDIS_URL the
// pushes go through Redis.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { contacts, conversations } from "../db/schema/index.ts";
import { topics } from "../realtime/topics.ts";
import { busBarrier } from "../testing/bus-barrier.ts";
import { REDIS_URL } from "../testing/bus-instances.ts";
import { signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";
import { fetchMessages, okSession, send } from "../widget/widget-api-testing.ts";
import { visitorName } from "./display-name.ts";

describe(`editing a contact (${storageMode}${REDIS_URL ? ", Redis" : ""})`, () => {
  let t: TestApp, ana: TeamMember, ben: TeamMember, inbox: InboxRow, url: string;
  const sockets: TestSocket[] = [];
  const save = (conversation: string, form: Record<string, string>) => t.post(`/inbox/c/${conversation}/contact`, form, { cookie: ana.cookie, "hx-request": "true" });
  const contactOf = async (conversation: string) => {
    const [row] = await t.database.db.select({ c: contacts }).from(conversations).innerJoin(contacts, eq(contacts.id, conversations.contactId)).where(eq(conversations.id, conversation));
    return row!.c;
  };

  /** A visitor who wrote through the widget: their token and conversation. */
  async function visitor(text: string) {
    const s = await okSession(t, { inbox: inbox.publicKey });
    expect((await send(t, s.token, { clientId: crypto.randomUUID(), body: text })).res.status).toBe(201);
    const { data } = await fetchMessages(t, s.token);
    return { token: s.token as string, conversation: data.conversation.id as string };
  }

  beforeAll(async () => {
    t = await createTestApp({ env: REDIS_URL ? { REDIS_URL, SESSION_SECRET: "contact-edit-secret-0123456789abcdef" } : {} });
    ({ ana, ben, inbox } = await signedInTeam(t, { handoffMode: "immediate" }));
    url = `${t.listen().replace("http", "ws")}/ws/inbox`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  test("the panel shows an anonymous visitor's stable name and a form for name, email and notes", async () => {
    const { conversation } = await visitor("hello");
    const contact = await contactOf(conversation);
    const pane = await (await t.request(`/inbox/c/${conversation}`, { headers: { cookie: ana.cookie, "hx-request": "true" } })).text();
    expect(pane).toContain(`Not given (shown as ${visitorName(contact.id)})`);
    expect(pane).toContain(`hx-post="/inbox/c/${conversation}/contact"`);
    for (const field of ["name", "email", "notes"]) expect(pane).toContain(`name="${field}"`);
    expect(pane).toContain("Only agents see notes");
  });

  test("saved: the card comes back with 'Saved.' and the new title; a typed email is not verified; the notes never reach the customer", async () => {
    const { conversation, token } = await visitor("my order is late");
    await t.database.db.update(contacts).set({ email: "old@example.com", emailVerified: true }).where(eq(contacts.id, (await contactOf(conversation)).id));
    const res = await save(conversation, { name: "  Sam <Lee>  ", email: "sam@example.com", notes: "VIP-note-7f3: refund promised" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`id="contact-card-${conversation}"`);
    expect(html).toContain("Sam &lt;Lee&gt;");
    expect(html).toContain("VIP-note-7f3: refund promised");
    expect(html).toMatch(new RegExp(`id="contact-saved-${conversation}"[^>]*>Saved\\.<`));
    expect(html).toMatch(new RegExp(`id="conversation-title-${conversation}" hx-swap-oob="innerHTML">Sam &lt;Lee&gt;<`));
    expect(await contactOf(conversation)).toMatchObject({ name: "Sam <Lee>", email: "sam@example.com", emailVerified: false, notes: "VIP-note-7f3: refund promised" });
    // The list and the reloaded pane say so too; the customer's side never carries the notes.
    expect(await (await t.request("/inbox/list?tab=open", { headers: { cookie: ana.cookie } })).text()).toContain(">Sam &lt;Lee&gt;</span>");
    const { data } = await fetchMessages(t, token);
    expect(JSON.stringify(data)).not.toContain("VIP-note-7f3");
    const again = await okSession(t, { inbox: inbox.publicKey, token });
    expect(JSON.stringify(again)).not.toContain("VIP-note-7f3");
    // Emptied, the visitor is named by their email, then by their visitor name.
    await save(conversation, { name: "", email: "", notes: "" });
    expect(await contactOf(conversation)).toMatchObject({ name: null, email: null, notes: null, emailVerified: false });
  });

  test("refused: 422, the card open with what was typed and each reason beside its field; nothing saved", async () => {
    const { conversation } = await visitor("hi");
    const res = await save(conversation, { name: "x".repeat(101), email: "not an address", notes: "n".repeat(2001) });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<details class="contact-edit" open>');
    expect(html).toContain("Use at most 100 characters for the name.");
    expect(html).toContain("Enter an email address like sam@example.com, or leave it empty.");
    expect(html).toContain("Use at most 2,000 characters for notes (now 2,001).");
    expect(html).toContain('value="not an address"');
    expect(html).toMatch(new RegExp(`id="contact-email-${conversation}"[^>]*aria-invalid="true"[^>]*aria-describedby="contact-email-${conversation}-error"`));
    expect(await contactOf(conversation)).toMatchObject({ name: null, email: null, notes: null });
    expect((await t.post(`/inbox/c/${crypto.randomUUID()}/contact`, { name: "x" }, { cookie: ana.cookie, "hx-request": "true" })).status).toBe(404);
  });

  test("Ben viewing the conversation gets the card, the title and the list row live", async () => {
    const { conversation } = await visitor("anyone?");
    const socket = await openSocket(url, { cookie: ben.cookie, origin: TEST_ORIGIN });
    sockets.push(socket);
    await socket.waitFor((f) => f.includes('id="live-status"'));
    socket.send({ type: "follow", page: "inbox", tab: "open" });
    await busBarrier(t.ctx.bus, socket, topics.inboxTab("open"));
    socket.send({ type: "view", conversation, after: 0 });
    await busBarrier(t.ctx.bus, socket, topics.conversationAgents(conversation));
    const from = socket.frames.length;
    expect((await save(conversation, { name: "Rita", email: "", notes: "calls back at 5" })).status).toBe(200);
    const card = await socket.waitFor((f) => f.includes(`id="contact-card-${conversation}"`), 5000, from);
    expect(card).toContain(`id="contact-card-${conversation}" class="contact-card" hx-swap-oob="innerHTML"`);
    expect(card).toContain("calls back at 5");
    expect(card).toContain(`id="conversation-title-${conversation}" hx-swap-oob="innerHTML">Rita<`);
    // The row with her new name (a push of the row from before the edit may still be on its way: list pushes are coalesced).
    const row = await socket.waitFor((f) => f.startsWith("{") && f.includes(`conv-row-${conversation}`) && f.includes(">Rita<"), 5000, from);
    expect(row).toContain(`data-name=\\"Rita\\"`);
  });
});
