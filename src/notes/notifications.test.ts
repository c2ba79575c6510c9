// Mentions: a note naming a teammate tells them, live on their own topic (the header's menu with
// its unread count, and a desktop notification frame), marks read when opened, and emails them
// when they are away. Real mail to an SMTP server in the test process; the jobs' clock by hand.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { agentNotifications, agents, jobs } from "../db/schema/index.ts";
import { eq } from "drizzle-orm";
import { insertAgent } from "../testing/fixtures.ts";
import { storageMode } from "../testing/test-database.ts";
import { agentEmailSetup, testRedisUrl, type AgentEmailSetup } from "../mail/agent-email-fixture.ts";
import { MENTION_EMAIL_JOB } from "./service.ts";
import { AWAY_MS } from "../mail/agent-away.ts";
import { eventually } from "../testing/eventually.ts";
import { signIn, TEST_PASSWORD } from "../testing/test-app.ts";


describe(`mentions in notes (${storageMode}${testRedisUrl ? ", Redis" : ""})`, () => {
  let s: AgentEmailSetup;
  beforeAll(async () => {
    s = await agentEmailSetup();
  });
  afterAll(() => s.close());

  const db = () => s.t.database.db;
  const note = (conversationId: string, body: string, clientId = crypto.randomUUID()) =>
    s.t.post(`/inbox/c/${conversationId}/notes`, { body, clientId }, { cookie: s.ana.cookie, "hx-request": "true" });
  const menuOf = async (cookie: string) => (await s.t.request("/notifications", { headers: { cookie } })).text();
  const mentionJobs = () => db().select().from(jobs).where(eq(jobs.kind, MENTION_EMAIL_JOB));

  test("Ben, mentioned while his inbox is open, hears it live: the menu with its count, a desktop notification; opening it marks it read; no email", async () => {
    const c = await s.assignedTo(s.ana.id, "Pia");
    const bens = await s.inboxPage(s.ben);
    const from = bens.frames.length;
    const clientId = crypto.randomUUID();
    expect((await note(c.conversationId, "@Ben can you check <i>this</i>?", clientId)).status).toBe(201);

    const menu = await bens.waitFor((f) => f.includes('id="notifications-button"'), 5000, from);
    expect(menu).toContain("Notifications (1)");
    expect(menu).toContain("Ana mentioned you");
    expect(menu).toContain("@Ben can you check &lt;i&gt;this&lt;/i&gt;?");
    const frame = JSON.parse(await bens.waitFor((f) => f.includes('"notify"'), 5000, from));
    expect(frame.notify).toMatchObject({ title: "Ana mentioned you", conversation: c.conversationId });

    // A retry mentions no one again; the author is never told.
    expect((await note(c.conversationId, "@Ben can you check <i>this</i>?", clientId)).status).toBe(201);
    const rows = await db().select().from(agentNotifications).where(eq(agentNotifications.conversationId, c.conversationId));
    expect(rows.map((r) => r.agentId)).toEqual([s.ben.id]);
    expect(await menuOf(s.ben.cookie)).toContain("Notifications (1)");
    expect(await menuOf(s.ana.cookie)).not.toContain("Notifications (");

    // Ben is here: his email job runs and sends nothing.
    expect(await s.t.ctx.jobWorker.pass()).toBe(1);
    expect(s.mail.to("ben@example.com")).toHaveLength(0);

    // Opening it: read, and the conversation.
    const mark = from + bens.frames.slice(from).length;
    const opened = await s.t.request(`/notifications/${rows[0]!.id}`, { headers: { cookie: s.ben.cookie }, redirect: "manual" });
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe(`/inbox/c/${c.conversationId}`);
    expect(await bens.waitFor((f) => f.includes('id="notifications-button"') && f.includes('data-unread="0"'), 5000, mark)).toContain(">Notifications<");
    expect(await menuOf(s.ben.cookie)).not.toContain("Notifications (");
    // Not Ana's to open: it stays as it is.
    const foreign = await s.t.request(`/notifications/${rows[0]!.id}`, { headers: { cookie: s.ana.cookie }, redirect: "manual" });
    expect(foreign.headers.get("location")).toBe("/inbox");
  });

  test("Kim, away, mentioned with her full name, gets one email with the note", async () => {
    const kim = await insertAgent(db(), "Kim Lee");
    const c = await s.assignedTo(s.ana.id, "Ola");
    await note(c.conversationId, "Asking @kim lee: refund <b>ok</b>?");
    expect(await s.t.ctx.jobWorker.pass()).toBeGreaterThanOrEqual(1);
    const mail = await s.mail.nth(1, kim.email);
    expect(mail.parsed.subject).toBe("Ana mentioned you in a note");
    expect(mail.parsed.text).toContain("> Asking @kim lee: refund <b>ok</b>?");
    expect(String(mail.parsed.html)).toContain("refund &lt;b&gt;ok&lt;/b&gt;?");
    expect(String(mail.parsed.text)).toContain(`/inbox/c/${c.conversationId}`);
    // Every mention job due by now has run (Ben's second look, above, is due later).
    expect((await mentionJobs()).filter((j) => j.runAt.getTime() <= s.clock.now()).every((j) => j.status === "done")).toBe(true);
  });

  test("Sam, mentioned while his inbox is open, leaves without reading it: one email once he has been away 10 minutes", async () => {
    const [sam] = await db().insert(agents).values({ name: "Sam", email: "sam@example.com", passwordHash: await Bun.password.hash(TEST_PASSWORD) }).returning();
    const member = { id: sam!.id, cookie: await signIn(s.t, "sam@example.com") };
    const sams = await s.inboxPage(member);
    const c = await s.assignedTo(s.ana.id, "Uma");
    await note(c.conversationId, "@Sam have a look when you can");
    const pending = async () => (await mentionJobs()).filter((j) => j.status === "pending");

    // He is here: nothing now, and a second look is due 10 minutes on.
    expect(await s.t.ctx.jobWorker.pass()).toBe(1);
    expect(s.mail.to("sam@example.com")).toHaveLength(0);
    const [again] = await pending();
    expect(again!.runAt.getTime()).toBe(s.clock.now() + AWAY_MS);

    // He closes his inbox without reading it (now, by the clock): ten minutes on he counts as away.
    const closedAt = s.clock.now();
    sams.close();
    await eventually(async () => !(await s.t.ctx.presence.onlineAgentIds()).has(sam!.id), "Sam offline");
    const seenAt = async () => (await db().select().from(agents).where(eq(agents.id, sam!.id)))[0]!.inboxSeenAt?.getTime();
    await eventually(async () => (await seenAt()) === closedAt, "Sam's inbox closed at the clock's now");
    await s.clock.advance(AWAY_MS);
    expect(await s.t.ctx.jobWorker.pass()).toBeGreaterThanOrEqual(1); // Ben's second look is due too (he read his)
    const mail = await s.mail.nth(1, "sam@example.com");
    expect(mail.parsed.text).toContain("> @Sam have a look when you can");
    expect(await pending()).toEqual([]);
  });

  test("the email an away agent gets of their customer's messages lists the messages, never a note", async () => {
    const lou = await insertAgent(db(), "Lou");
    const c = await s.assignedTo(lou.id, "Rex");
    await note(c.conversationId, "internal: do not refund Rex");
    const seq = await c.write("Any news on my refund?");
    await s.decided(c.conversationId, seq);
    await s.t.ctx.jobWorker.pass();
    const mail = await s.mail.nth(1, lou.email);
    expect(mail.parsed.text).toContain("Any news on my refund?");
    expect(`${mail.parsed.text}${mail.parsed.html}`).not.toContain("do not refund");
  });

  test("the @ list: teammates filtered by the server, without the author", async () => {
    const c = await s.assignedTo(s.ana.id, "Uma");
    const list = await (await s.t.request(`/inbox/c/${c.conversationId}/teammates?q=be`, { headers: { cookie: s.ana.cookie } })).text();
    expect(list).toContain('data-text="@Ben "');
    expect(list).not.toContain("Kim Lee");
    const all = await (await s.t.request(`/inbox/c/${c.conversationId}/teammates?q=`, { headers: { cookie: s.ana.cookie } })).text();
    expect(all).toContain("Ben");
    expect(all).not.toContain('data-text="@Ana ');
    expect((await s.t.request(`/inbox/c/${crypto.randomUUID()}/teammates?q=`, { headers: { cookie: s.ana.cookie } })).status).toBe(404);
  });

  test("Mark all read", async () => {
    const c = await s.assignedTo(s.ana.id, "Ivo");
    await note(c.conversationId, "@Ben one");
    await note(c.conversationId, "@Ben two");
    expect(await menuOf(s.ben.cookie)).toContain("Notifications (2)");
    const res = await s.t.post("/notifications/read", {}, { cookie: s.ben.cookie, "hx-request": "true" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-unread="0"');
    expect(await menuOf(s.ben.cookie)).not.toContain("Notifications (");
  });
});
