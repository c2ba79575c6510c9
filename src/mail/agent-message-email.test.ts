// An agent hears of a customer's message by email when they have had no inbox open for 10 minutes
// (issue 14 item 4): real mail to an SMTP server in the test process, time on a manual clock, and
// every "nothing was sent" shown after a positive signal (the alerts decided on that push, a job
// ran to its end, or a colleague's email came).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversationDeps } from "../app-context.ts";
import * as conversations from "../conversations/service.ts";
import { agents, jobs } from "../db/schema/index.ts";
import { eventually } from "../testing/eventually.ts";
import { insertAgent } from "../testing/fixtures.ts";
import { TEST_ORIGIN } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { agentEmailSetup, testRedisUrl, type AgentEmailSetup } from "./agent-email-fixture.ts";
import { AGENT_MESSAGE_JOB } from "./agent-message-alerts.ts";

const MINUTE = 60_000;

describe(`email to an agent who is away (${storageMode}${testRedisUrl ? ", Redis presence" : ""})`, () => {
  let s: AgentEmailSetup;
  beforeAll(async () => {
    s = await agentEmailSetup();
  });
  afterAll(() => s.close());

  const db = () => s.t.database.db;
  const jobsFor = (conversationId: string) => s.jobsWhere(AGENT_MESSAGE_JOB, "conversationId", conversationId);
  const runJobs = () => s.t.ctx.jobWorker.pass();
  const seenAt = async (agentId: string) => (await db().select({ at: agents.inboxSeenAt }).from(agents).where(eq(agents.id, agentId)))[0]!.at;
  const online = async (agentId: string) => (await s.t.ctx.presence.onlineAgentIds()).has(agentId);
  const benEmail = "ben@example.com";

  /** Ben had an inbox open until now: a socket opened and closed, its close recorded. */
  async function benLeavesNow() {
    const page = await s.inboxPage(s.ben);
    page.close();
    await eventually(async () => !(await online(s.ben.id)) && (await seenAt(s.ben.id))?.getTime() === s.clock.now(), "Ben's socket closed and recorded");
  }

  const saveEmailChoice = (message: boolean) =>
    s.t.post("/settings/profile/email", { from: "profile", ...(message ? { message: "on" } : {}) }, { cookie: s.ben.cookie });

  test("an agent away for good gets one email for two messages, none for a third until someone reads, then one for what is new", async () => {
    const kim = await insertAgent(db(), "Kim");
    const c = await s.assignedTo(kim.id, "Pia");
    await c.write("Hello, my order 4711 is late");
    const second = await c.write("Are you there?");
    await s.decided(c.conversationId, second);
    expect(await jobsFor(c.conversationId)).toHaveLength(1);
    expect(await runJobs()).toBe(1);
    const first = await s.mail.nth(1, kim.email);
    expect(first.parsed.text).toContain("> Hello, my order 4711 is late");
    expect(first.parsed.text).toContain("> Are you there?");

    const third = await c.write("Hello??");
    await s.decided(c.conversationId, third);
    expect(await jobsFor(c.conversationId)).toHaveLength(1);
    expect(await runJobs()).toBe(0);
    expect(s.mail.to(kim.email)).toHaveLength(1);

    // A colleague reads it in the inbox; the customer writes again: a new email with only what is unread.
    await conversations.markViewed(conversationDeps(s.t.ctx), c.conversationId, third);
    const fourth = await c.write("Never mind, it arrived");
    await s.decided(c.conversationId, fourth);
    expect(await runJobs()).toBe(1);
    const next = await s.mail.nth(2, kim.email);
    expect(next.parsed.text).toContain("> Never mind, it arrived");
    expect(next.parsed.text).not.toContain("Hello??");
    expect(s.mail.to(kim.email)).toHaveLength(2);
  });

  test("an agent with an inbox open gets none, while an away colleague's email comes; one back before the job runs gets none", async () => {
    const page = await s.inboxPage(s.ben);
    const lee = await insertAgent(db(), "Lee");
    const bens = await s.assignedTo(s.ben.id, "Quinn");
    const lees = await s.assignedTo(lee.id, "Rosa");
    await bens.write("Hi Ben");
    await s.decided(bens.conversationId, 1);
    await lees.write("Hi Lee");
    await s.decided(lees.conversationId, 1);
    expect(await runJobs()).toBe(1);
    await s.mail.nth(1, lee.email);
    expect(await jobsFor(bens.conversationId)).toEqual([]);
    expect(s.mail.to(benEmail)).toEqual([]);

    // Ben leaves; 11 minutes later his customer writes, and he opens the inbox before the job runs.
    page.close();
    await eventually(async () => !(await online(s.ben.id)), "Ben's socket closed");
    await s.clock.advance(11 * MINUTE);
    const seq = await bens.write("Ben, are you there?");
    await s.decided(bens.conversationId, seq);
    const [job] = await jobsFor(bens.conversationId);
    expect(job).toBeDefined();
    const back = await s.inboxPage(s.ben);
    expect(await runJobs()).toBe(1);
    expect((await s.t.database.db.select().from(jobs).where(eq(jobs.id, job!.id)))[0]!.status).toBe("done");
    expect(s.mail.to(benEmail)).toEqual([]);
    back.close();
    await eventually(async () => !(await online(s.ben.id)), "Ben's socket closed");
  });

  test("an agent who left less than 10 minutes ago gets none; past 10 minutes the next message is emailed, with the earlier one", async () => {
    await benLeavesNow();
    const c = await s.assignedTo(s.ben.id, "Sam");
    await s.clock.advance(5 * MINUTE);
    const early = await c.write("Quick question");
    await s.decided(c.conversationId, early);
    expect(await jobsFor(c.conversationId)).toEqual([]);

    await s.clock.advance(6 * MINUTE);
    const late = await c.write("Still there?");
    await s.decided(c.conversationId, late);
    expect(await jobsFor(c.conversationId)).toHaveLength(1);
    expect(await runJobs()).toBe(1);
    const mail = await s.mail.nth(1, benEmail);
    expect(mail.parsed.text).toContain("> Quick question");
    expect(mail.parsed.text).toContain("> Still there?");
  });

  test("with the choice off in the profile: none, also when it is turned off after the job was scheduled", async () => {
    await s.clock.advance(11 * MINUTE);
    const before = s.mail.to(benEmail).length;
    expect((await saveEmailChoice(false)).status).toBe(303);
    const c = await s.assignedTo(s.ben.id, "Tess");
    const first = await c.write("Hello");
    await s.decided(c.conversationId, first);
    expect(await jobsFor(c.conversationId)).toEqual([]);

    expect((await saveEmailChoice(true)).status).toBe(303);
    const d = await s.assignedTo(s.ben.id, "Uma");
    const seq = await d.write("Hello");
    await s.decided(d.conversationId, seq);
    expect(await jobsFor(d.conversationId)).toHaveLength(1);
    expect((await saveEmailChoice(false)).status).toBe(303);
    expect(await runJobs()).toBe(1);
    expect((await jobsFor(d.conversationId))[0]!.status).toBe("done");
    expect(s.mail.to(benEmail)).toHaveLength(before);
    expect((await saveEmailChoice(true)).status).toBe(303);
  });

  test("reassigned before the job ran: neither the agent nor the new one gets it", async () => {
    const [vic, wes] = [await insertAgent(db(), "Vic"), await insertAgent(db(), "Wes")];
    const c = await s.assignedTo(vic.id, "Yara");
    const seq = await c.write("Hello Vic");
    await s.decided(c.conversationId, seq);
    expect(await jobsFor(c.conversationId)).toHaveLength(1);
    await conversations.assign(conversationDeps(s.t.ctx), { id: s.ana.id, name: "Ana" }, c.conversationId, wes.id);
    expect(await runJobs()).toBe(1);
    expect((await jobsFor(c.conversationId))[0]!.status).toBe("done");
    expect(s.mail.to(vic.email)).toEqual([]);
    expect(s.mail.to(wes.email)).toEqual([]);
  });

  test("the email: who wrote where in its subject, each message escaped and cut at 200 characters, a link to the conversation, why it came", async () => {
    const zed = await insertAgent(db(), "Zed");
    const c = await s.assignedTo(zed.id, "<b>Zoe</b> & Co");
    await c.write("<script>alert(1)</script> where is my parcel?");
    const long = `${"a".repeat(150)} ${"b".repeat(150)}`;
    const seq = await c.write(long);
    await s.decided(c.conversationId, seq);
    const [job] = await jobsFor(c.conversationId);
    await runJobs();
    const mail = await s.mail.nth(1, zed.email);
    expect(mail.parsed.subject).toBe("New message from <b>Zoe</b> & Co in Help <desk>");
    expect(mail.header("message-id")).toBe(`<agent-message-${job!.id}@localhost>`);
    const html = String(mail.parsed.html);
    expect(html).toContain("&lt;b&gt;Zoe&lt;/b&gt; &amp; Co");
    expect(html).toContain("Help &lt;desk&gt;");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; where is my parcel?");
    expect(html).not.toContain("<script>");
    expect(html).toContain(`href="${TEST_ORIGIN}/inbox/c/${c.conversationId}"`);
    expect(html).toContain(`href="${TEST_ORIGIN}/settings/profile"`);
    expect(html).toContain("You get this because you were away");
    const clipped = `${"a".repeat(150)} ${"b".repeat(48)}…`;
    expect(html).toContain(clipped);
    expect(html).not.toContain("b".repeat(49));
    const text = mail.parsed.text!;
    expect(text).toContain("<b>Zoe</b> & Co wrote in Help <desk>:");
    expect(text).toContain(`> ${clipped}`);
    expect(text).toContain(`Open the conversation: ${TEST_ORIGIN}/inbox/c/${c.conversationId}`);
    expect(text).toContain(`You get this because you were away; turn it off in your profile.\n${TEST_ORIGIN}/settings/profile`);
  });

  test("the email shows a customer's Markdown and links as the inbox does; its text part, the words as typed", async () => {
    const yan = await insertAgent(db(), "Yan");
    const c = await s.assignedTo(yan.id, "Kim");
    const seq = await c.write("**UPS** tracking https://example.com/track?id=1\n[x](javascript:alert(1))");
    await s.decided(c.conversationId, seq);
    await runJobs();
    const mail = await s.mail.nth(1, yan.email);
    const html = String(mail.parsed.html);
    expect(html).toContain("<strong>UPS</strong> tracking ");
    expect(html).toMatch(/<a href="https:\/\/example\.com\/track\?id=1" style="[^"]*" rel="noopener noreferrer nofollow ugc" target="_blank">/);
    expect(html).toContain("[x](javascript:alert(1))");
    expect(html).not.toContain('href="javascript:');
    expect(mail.parsed.text).toContain("> **UPS** tracking https://example.com/track?id=1\n> [x](javascript:alert(1))");
  });
});
