// Reply emails (issue 14 item 2): an agent's reply that the customer has not read some minutes
// later is emailed to them, once, with every other reply they have not read. The delay is the jobs'
// manual clock; each "nothing was sent" is read after a worker pass that ran or skipped the job.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { inboxes, jobs } from "../db/schema/index.ts";
import { signedInTeam } from "../testing/fixtures.ts";
import { createTestApp } from "../testing/test-app.ts";
import { insertInbox, mode } from "../widget/widget-api-testing.ts";
import { readyWidgetSocket, widgetSocketSettled } from "../testing/widget-client.ts";
import type { TestSocket } from "../testing/ws-client.ts";
import { MINUTE, replyEmailTest, type ReplyEmailTest } from "./reply-email-fixture.ts";

describe(`reply emails (${mode})`, () => {
  let s: ReplyEmailTest;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    s = await replyEmailTest();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await s.close();
  });

  const bodiesOf = (text: string | false | undefined) => text || "";

  test("a reply waits the inbox's delay (5 minutes): nothing before it, one email after it", async () => {
    const kim = await s.customer();
    expect((await s.reply(kim.conversationId, "Your parcel left our warehouse today.")).status).toBe(201);
    const [job] = await s.jobsOf(kim.conversationId);
    expect(job!.runAt.getTime()).toBe(s.clock.now() + 5 * MINUTE);

    await s.later(5 * MINUTE - 1000);
    // The pass ran and left the job alone: not due yet.
    expect((await s.jobsOf(kim.conversationId))[0]).toMatchObject({ status: "pending", attempts: 0 });
    expect(s.mail.to(kim.email!)).toHaveLength(0);

    await s.later(1000);
    const mail = await s.mail.nth(1, kim.email!);
    expect(mail.parsed.subject).toBe("New reply from Help");
    expect(bodiesOf(mail.parsed.text)).toContain("Your parcel left our warehouse today.");
    expect((await s.jobsOf(kim.conversationId))[0]).toMatchObject({ status: "done", attempts: 1 });
    expect(await s.replyEmailedSeq(kim.conversationId)).toBeGreaterThan(0);
  });

  test("replies the customer read in the widget before the delay are not emailed", async () => {
    const lee = await s.customer();
    await s.reply(lee.conversationId, "We have refunded your order.");
    const { ws, ready } = await readyWidgetSocket(s.base, lee.token, "http://localhost:3000", sockets);
    ws.send({ type: "read", seq: ready.lastSeq });
    await widgetSocketSettled(ws);

    await s.later(5 * MINUTE);
    expect((await s.jobsOf(lee.conversationId))[0]).toMatchObject({ status: "done" });
    expect(s.mail.to(lee.email!)).toHaveLength(0);
    // Read is read: the later reply alone goes out, without the one read.
    await s.reply(lee.conversationId, "Anything else we can do?");
    await s.later(5 * MINUTE);
    const mail = await s.mail.nth(1, lee.email!);
    expect(bodiesOf(mail.parsed.text)).toContain("Anything else we can do?");
    expect(bodiesOf(mail.parsed.text)).not.toContain("We have refunded your order.");
  });

  test("two quick replies make one email with both; a third one later makes a second email with only itself", async () => {
    const ada = await s.customer();
    await s.reply(ada.conversationId, "First answer.");
    await s.later(30_000);
    await s.reply(ada.conversationId, "Second answer.");
    // The first job sends both; the second, due 30 s later, finds nothing left.
    await s.later(5 * MINUTE - 30_000);
    await s.later(30_000);
    const jobs = await s.jobsOf(ada.conversationId);
    expect(jobs.map((j) => j.status)).toEqual(["done", "done"]);
    expect(s.mail.to(ada.email!)).toHaveLength(1);
    const first = s.mail.to(ada.email!)[0]!.parsed.text!;
    expect(first.indexOf("First answer.")).toBeGreaterThan(-1);
    expect(first.indexOf("Second answer.")).toBeGreaterThan(first.indexOf("First answer."));

    await s.later(10 * MINUTE);
    await s.reply(ada.conversationId, "Third answer.");
    await s.later(5 * MINUTE);
    const second = await s.mail.nth(2, ada.email!);
    expect(second.parsed.text).toContain("Third answer.");
    expect(second.parsed.text).not.toContain("First answer.");
    expect(second.parsed.text).not.toContain("Second answer.");
    expect(s.mail.to(ada.email!)).toHaveLength(2);
  });

  test("two jobs due at once (replies in the same instant) send one email between them", async () => {
    const bo = await s.customer();
    await s.reply(bo.conversationId, "One.");
    await s.reply(bo.conversationId, "Two.");
    await s.later(5 * MINUTE);
    expect((await s.jobsOf(bo.conversationId)).map((j) => j.status)).toEqual(["done", "done"]);
    expect(s.mail.to(bo.email!)).toHaveLength(1);
    expect(s.mail.to(bo.email!)[0]!.parsed.text).toContain("Two.");
  });

  test("a customer without an email address gets no job and no email", async () => {
    const anonymous = await s.customer({ email: null });
    expect((await s.reply(anonymous.conversationId, "Hello there")).status).toBe(201);
    expect(await s.jobsOf(anonymous.conversationId)).toEqual([]);
  });

  test("an inbox with reply emails off schedules none; its own delay counts when on", async () => {
    const off = await insertInbox(s.t.database.db, { replyEmails: false });
    const tom = await s.customer({ inbox: off });
    await s.reply(tom.conversationId, "Noted.");
    expect(await s.jobsOf(tom.conversationId)).toEqual([]);

    const slow = await insertInbox(s.t.database.db, { replyEmailDelayMinutes: 30 });
    const una = await s.customer({ inbox: slow });
    await s.reply(una.conversationId, "We will check.");
    expect((await s.jobsOf(una.conversationId))[0]!.runAt.getTime()).toBe(s.clock.now() + 30 * MINUTE);

    // Switched off after the reply: the job runs and sends nothing.
    await s.t.database.db.update(inboxes).set({ replyEmails: false }).where(eq(inboxes.id, slow.id));
    await s.later(30 * MINUTE);
    expect((await s.jobsOf(una.conversationId))[0]).toMatchObject({ status: "done" });
    expect(s.mail.to(una.email!)).toHaveLength(0);
  });

  test("a retry of the agent's reply (same clientId) schedules nothing new", async () => {
    const ian = await s.customer();
    const clientId = crypto.randomUUID();
    expect((await s.reply(ian.conversationId, "Once.", clientId)).status).toBe(201);
    expect((await s.reply(ian.conversationId, "Once.", clientId)).status).toBe(201);
    expect(await s.jobsOf(ian.conversationId)).toHaveLength(1);
    await s.later(5 * MINUTE);
    expect(s.mail.to(ian.email!)).toHaveLength(1);
  });
});

describe(`reply emails: REPLY_EMAIL_DELAY_SECONDS (${mode})`, () => {
  let s: ReplyEmailTest;
  beforeAll(async () => {
    s = await replyEmailTest({ env: { REPLY_EMAIL_DELAY_SECONDS: "2" } });
  });
  afterAll(() => s.close());

  test("replaces every inbox's delay", async () => {
    const kim = await s.customer();
    await s.reply(kim.conversationId, "Quick one.");
    expect((await s.jobsOf(kim.conversationId))[0]!.runAt.getTime()).toBe(s.clock.now() + 2000);
    await s.later(2000);
    expect((await s.mail.nth(1, kim.email!)).parsed.text).toContain("Quick one.");
  });
});

describe(`reply emails without SMTP (${mode})`, () => {
  test("no SMTP_URL: an agent's reply schedules no job", async () => {
    const t = await createTestApp();
    try {
      const { ben, inbox } = await signedInTeam(t);
      const started = await t.request("/api/v1/widget/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ inbox: inbox.publicKey }) });
      const { token } = (await started.json()) as { token: string };
      const away = await t.request("/api/v1/widget/away", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ email: "kim@example.com" }),
      });
      const { conversation } = (await away.json()) as { conversation: { id: string } };
      expect((await t.post(`/inbox/c/${conversation.id}/messages`, { body: "Hi", clientId: "c1" }, { cookie: ben.cookie })).status).toBe(201);
      expect(await t.database.db.select().from(jobs)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
