// The queue alert (issue 14 item 4): off by default; on, a customer who waits in the queue longer
// than the account's alert wait makes one email to each admin who chose it, once per stay in the
// queue. Real mail to an SMTP server in the test process; the wait passes on a manual clock.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversationDeps } from "../app-context.ts";
import * as conversations from "../conversations/service.ts";
import { accountSettings, agents, contacts, conversations as conversationRows } from "../db/schema/index.ts";
import { customerWrites, insertAgent } from "../testing/fixtures.ts";
import { TEST_ORIGIN } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { agentEmailSetup, type AgentEmailSetup } from "./agent-email-fixture.ts";
import { QUEUE_ALERT_JOB } from "./queue-alert-schedule.ts";

const MINUTE = 60_000;

describe(`the queue alert (${storageMode})`, () => {
  let s: AgentEmailSetup;
  let cy: { id: string; email: string };
  beforeAll(async () => {
    s = await agentEmailSetup();
    // A second admin who did not choose the alert.
    const row = await insertAgent(s.t.database.db, "Cy");
    await s.t.database.db.update(agents).set({ role: "admin", notifyQueueEmail: false }).where(eq(agents.id, row.id));
    cy = row;
  });
  afterAll(() => s.close());

  const db = () => s.t.database.db;
  const alertJobs = (conversationId: string) => s.jobsWhere(QUEUE_ALERT_JOB, "conversationId", conversationId);
  const runJobs = () => s.t.ctx.jobWorker.pass();
  const saveWait = (minutes: string, cookie = s.ana.cookie) => s.t.post("/settings/account/queue-alert", { minutes }, { cookie });
  const accountPage = async () => (await s.t.request("/settings/account", { headers: { cookie: s.ana.cookie } })).text();
  /** A customer named `name` writes in the inbox (immediate handoff): their conversation joins the queue. */
  async function joinsQueue(name: string) {
    const [contact] = await db().insert(contacts).values({ inboxId: s.inbox.id, name }).returning();
    return customerWrites(s.t, s.inbox, `Hello from ${name}`, contact!.id);
  }
  const stay = async (id: string) => (await db().select().from(conversationRows).where(eq(conversationRows.id, id)))[0]!;
  const waiting = async () => (await db().select().from(conversationRows).where(eq(conversationRows.status, "queued"))).length;
  const ben = () => ({ id: s.ben.id, name: "Ben" });

  test("off by default: the page says so, and a customer who joins the queue gets no job", async () => {
    expect(await accountPage()).toContain("Now: off.");
    const id = await joinsQueue("Nia");
    expect((await stay(id)).status).toBe("queued");
    expect(await alertJobs(id)).toEqual([]);
  });

  test("a wait that is not whole minutes from 1 to 1440 is refused with the reason; nothing is saved", async () => {
    for (const typed of ["0", "1441", "1.5", "ten", "-5"]) {
      const res = await saveWait(typed);
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain("Nothing was saved. Fix the alert wait below and save again.");
      expect(html).toContain("Enter whole minutes from 1 to 1440, or leave it empty to turn the alert off.");
      expect(html).toContain(`value="${typed}"`);
    }
    expect(await db().select().from(accountSettings)).toEqual([]);
    // An agent may not set it.
    expect((await saveWait("5", s.ben.cookie)).status).toBe(403);
    expect(await db().select().from(accountSettings)).toEqual([]);
  });

  test("on: after the wait, each admin who chose it gets one email; a customer claimed before the wait, none", async () => {
    const saved = await saveWait("15");
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/settings/account?done=queue-alert");
    const page = await (await s.t.request("/settings/account?done=queue-alert", { headers: { cookie: s.ana.cookie } })).text();
    expect(page).toContain("Saved. The queue alert applies to customers who join the queue from now on.");
    expect(page).toContain("Now: after 15 minutes in the queue.");

    const ola = await joinsQueue("<i>Ola</i>");
    const pam = await joinsQueue("Pam");
    const olaStay = await stay(ola);
    const [job] = await alertJobs(ola);
    expect(job!.runAt.getTime()).toBe(olaStay.queueEnteredAt!.getTime() + 15 * MINUTE);
    expect(job!.idempotencyKey).toBe(`${QUEUE_ALERT_JOB}:${ola}:${olaStay.queueEnteredAt!.getTime()}`);
    await conversations.claim(conversationDeps(s.t.ctx), ben(), pam);

    await s.clock.advance(10 * MINUTE);
    expect(await runJobs()).toBe(0);
    await s.clock.advance(6 * MINUTE);
    expect(await runJobs()).toBe(2);
    expect((await alertJobs(pam))[0]!.status).toBe("done");
    const mail = await s.mail.nth(1, "ana@example.com");
    expect(s.mail.to("ana@example.com")).toHaveLength(1);
    expect(s.mail.to(cy.email)).toEqual([]);
    expect(s.mail.to("ben@example.com")).toEqual([]);

    const waited = Math.floor((s.clock.now() - olaStay.queueEnteredAt!.getTime()) / MINUTE);
    expect(mail.parsed.subject).toBe(`<i>Ola</i> has waited ${waited} minutes in the queue`);
    expect(mail.header("message-id")).toBe(`<queue-alert-${job!.id}-${s.ana.id}@localhost>`);
    const html = String(mail.parsed.html);
    expect(html).toContain(`&lt;i&gt;Ola&lt;/i&gt;</strong> has waited <span>${waited} minutes</span> in the queue of <span>Help &lt;desk&gt;</span>`);
    expect(html).toContain(`${await waiting()} customers are waiting in the queue now.`);
    expect(html).toContain(`href="${TEST_ORIGIN}/inbox/c/${ola}"`);
    expect(html).toContain(`href="${TEST_ORIGIN}/settings/profile"`);
    expect(mail.parsed.text).toContain(`Open the conversation: ${TEST_ORIGIN}/inbox/c/${ola}`);
    expect(mail.parsed.text).toContain("You get this because you are an admin with queue alerts on; turn them off in your profile.");
  });

  test("back in the queue is another stay and another alert; turned off before it is due, none", async () => {
    const id = await joinsQueue("Quentin");
    await conversations.claim(conversationDeps(s.t.ctx), ben(), id);
    await conversations.unassign(conversationDeps(s.t.ctx), ben(), id);
    const jobs = await alertJobs(id);
    expect(jobs).toHaveLength(2);
    expect(new Set(jobs.map((j) => j.idempotencyKey)).size).toBe(2);

    expect((await saveWait("")).status).toBe(303);
    expect(await accountPage()).toContain("Now: off.");
    const before = s.mail.mails.length;
    await s.clock.advance(16 * MINUTE);
    expect(await runJobs()).toBe(2);
    expect((await alertJobs(id)).map((j) => j.status)).toEqual(["done", "done"]);
    expect(s.mail.mails).toHaveLength(before);
  });
});
