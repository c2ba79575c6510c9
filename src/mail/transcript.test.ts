// "Email me this conversation": a real mail, captured by an SMTP server in this process, carries the
// whole conversation (who and when, escaped, in the customer's language); a double click sends one.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { agents, contacts, jobs } from "../db/schema/index.ts";
import { eventually } from "../testing/eventually.ts";
import { signedInTeam, type InboxRow } from "../testing/fixtures.ts";
import { smtpCapture, type CapturedMail, type SmtpCapture } from "../testing/smtp-capture.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { agentReplies, answerPrompt, askTranscript, customerWhoWrote, sessionOf } from "../widget/email-testing.ts";
import { appEnv, insertInbox, mode, send } from "../widget/widget-api-testing.ts";
import { conversationThreadId } from "./signed-links.ts";

const transcriptsTo = (mail: SmtpCapture, address: string) => mail.to(address).filter((m) => /conversation with|Unterhaltung mit/.test(m.parsed.subject ?? ""));

describe(`the transcript email (${mode})`, () => {
  let t: TestApp;
  let mail: SmtpCapture;
  let inbox: InboxRow;
  let ana: { id: string; name: string };

  beforeAll(async () => {
    mail = await smtpCapture();
    t = await createTestApp({ env: { ...appEnv, SMTP_URL: mail.url, MAIL_FROM: "Desk <desk@example.com>", TRANSCRIPTS_PER_CONTACT_PER_HOUR: "4" } });
    t.listen(); // starts the job worker
    const team = await signedInTeam(t, { name: "Shop & Co", emailSenderName: "Shop Support" });
    inbox = team.inbox;
    // Agents' names are shown as they are stored: one that looks like markup must arrive escaped.
    await t.database.db.update(agents).set({ name: "Ana <Admin>" }).where(eq(agents.id, team.ana.id));
    ana = { id: team.ana.id, name: "Ana <Admin>" };
  });
  afterAll(async () => {
    await t.close();
    await mail.close();
  });

  /** The `n`th transcript to `address`, once it has arrived (other mail to the address is passed over). */
  async function nthTranscript(address: string, n: number): Promise<CapturedMail> {
    for (let i = n; ; i++) {
      await mail.nth(i, address);
      const found = transcriptsTo(mail, address)[n - 1];
      if (found) return found;
    }
  }

  test("the whole conversation arrives: customer, bot and agent messages with who and when, escaped in HTML, as text too, threaded, from the inbox's sender name", async () => {
    const kim = await customerWhoWrote(t, inbox.publicKey, 'Order <b>42</b> & "soon"?');
    await agentReplies(t, ana, kim.conversationId, "<script>alert('x')</script>\nSecond line");
    await answerPrompt(t, kim.token, { email: "kim@example.com" });
    const { res, data } = await askTranscript(t, kim.token);
    expect(res.status).toBe(202);
    expect(data).toEqual({ to: "kim@example.com" });

    const got = await nthTranscript("kim@example.com", 1);
    expect(got.parsed.subject).toBe("Your conversation with Shop & Co");
    expect(got.parsed.from?.value[0]).toMatchObject({ name: "Shop Support", address: "desk@example.com" });
    expect(got.header("references")).toContain(conversationThreadId(kim.conversationId, "localhost"));
    expect(got.header("content-language")).toBe("en");
    const html = String(got.parsed.html);
    const text = got.parsed.text ?? "";
    // Every message, in order, with its author: the customer, the bot's greeting and answer, the agent.
    for (const part of [text, html]) {
      const order = ["Hi! How can we help?", "Order", "have an answer to that yet", "alert", "Second line"].map((s) => part.indexOf(s));
      expect(order.every((at) => at >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    }
    expect(text).toContain('You · ');
    expect(text).toContain('Order <b>42</b> & "soon"?');
    expect(text).toContain("Ana <Admin> · ");
    expect(text).toContain("Assistant · ");
    expect(text).toMatch(/UTC/);
    expect(html).toContain("Order &lt;b&gt;42&lt;/b&gt; &amp; &quot;soon&quot;?");
    // The body is rendered Markdown: escaped (an apostrophe in text needs no escape), its line break a <br>.
    expect(html).toContain("&lt;script&gt;alert('x')&lt;/script&gt;<br>\nSecond line");
    expect(html).toContain("Ana &lt;Admin&gt;");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>42");
  });

  test("the HTML part shows the messages' Markdown and links as the chat does; the text part, as typed", async () => {
    // An address of its own: the double-click test below counts the transcripts sent to lee@.
    const mo = await customerWhoWrote(t, inbox.publicKey, "**UPS** tracking https://example.com/track?id=1");
    await agentReplies(t, ana, mo.conversationId, "- one\n- `two`");
    await answerPrompt(t, mo.token, { email: "mo@example.com" });
    expect((await askTranscript(t, mo.token)).res.status).toBe(202);
    const got = await nthTranscript("mo@example.com", 1);
    const html = String(got.parsed.html);
    expect(html).toContain("<strong>UPS</strong> tracking ");
    expect(html).toMatch(/<a href="https:\/\/example\.com\/track\?id=1" style="[^"]*" rel="noopener noreferrer nofollow ugc" target="_blank">/);
    expect(html).toMatch(/<ul style="[^"]*">\s*<li>one<\/li>\s*<li><code style="[^"]*">two<\/code><\/li>/);
    expect(got.parsed.text).toContain("**UPS** tracking https://example.com/track?id=1");
    expect(got.parsed.text).toContain("- one\n- `two`");
  });

  test("in German for a German customer, to the address typed with the request (which becomes theirs)", async () => {
    const jan = await customerWhoWrote(t, inbox.publicKey, "Wo ist mein Paket?", "de-DE");
    await agentReplies(t, ana, jan.conversationId, "Es ist unterwegs.");
    const { res, data } = await askTranscript(t, jan.token, { email: " jan@example.de " });
    expect(res.status).toBe(202);
    expect(data.to).toBe("jan@example.de");
    const got = await nthTranscript("jan@example.de", 1);
    expect(got.parsed.subject).toBe("Ihre Unterhaltung mit Shop & Co");
    expect(got.header("content-language")).toBe("de");
    expect(got.parsed.text).toContain("Sie · ");
    expect(got.parsed.text).toContain("Wo ist mein Paket?");
    expect(got.parsed.text).toContain("Es ist unterwegs.");
    expect(got.parsed.text).toContain("Assistent · ");
    const [row] = await t.database.db.select().from(contacts).where(eq(contacts.id, jan.contactId));
    expect(row).toMatchObject({ email: "jan@example.de", emailVerified: false, emailPromptDoneAt: expect.any(Date) });
    // Given with the transcript: not asked again.
    expect((await sessionOf(t, inbox.publicKey, jan.token)).askEmail).toBe(false);
  });

  test("a double click sends one email; asking again after a new message sends the conversation as it is then", async () => {
    const lee = await customerWhoWrote(t, inbox.publicKey, "First question");
    await answerPrompt(t, lee.token, { email: "lee@example.com" });
    const [a, b] = await Promise.all([askTranscript(t, lee.token), askTranscript(t, lee.token)]);
    expect([a.res.status, b.res.status]).toEqual([202, 202]);
    const first = await nthTranscript("lee@example.com", 1);
    expect(first.parsed.text).not.toContain("Second question");
    await send(t, lee.token, { clientId: "lee-2", body: "Second question" });
    expect((await askTranscript(t, lee.token)).res.status).toBe(202);
    // The second transcript arriving, with the new message, shows the double click made no other.
    const second = await nthTranscript("lee@example.com", 2);
    expect(second.parsed.text).toContain("Second question");
    expect(transcriptsTo(mail, "lee@example.com")).toHaveLength(2);
    // Two jobs for the three requests, both done (the second is marked so just after its mail went).
    const leesJobs = async () =>
      (await t.database.db.select().from(jobs).where(eq(jobs.kind, "email.transcript"))).filter((j) => (j.payload as { conversationId: string }).conversationId === lee.conversationId);
    await eventually(async () => (await leesJobs()).every((j) => j.status === "done"), "Lee's transcript jobs are done");
    expect(await leesJobs()).toHaveLength(2);
  });

  test("refused clearly: no address (400 email_required), not an address (400 bad_email), no conversation (404), past the budget (429)", async () => {
    const mo = await customerWhoWrote(t, inbox.publicKey);
    const none = await askTranscript(t, mo.token);
    expect([none.res.status, none.data.error.code]).toEqual([400, "email_required"]);
    const bad = await askTranscript(t, mo.token, { email: "mo at example" });
    expect([bad.res.status, bad.data.error.code]).toEqual([400, "bad_email"]);
    const fresh = await sessionOf(t, inbox.publicKey, "");
    const nothing = await askTranscript(t, fresh.token, { email: "new@example.com" });
    expect([nothing.res.status, nothing.data.error.code]).toEqual([404, "no_conversation"]);
    // TRANSCRIPTS_PER_CONTACT_PER_HOUR=4 here: the request without an address took one (a bad address is refused before).
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const { res } = await askTranscript(t, mo.token, { email: "mo@example.com" });
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});

describe(`without email (${mode})`, () => {
  let t: TestApp;
  let mail: SmtpCapture;

  beforeAll(async () => {
    mail = await smtpCapture();
    t = await createTestApp({ env: appEnv });
  });
  afterAll(async () => {
    await t.close();
    await mail.close();
  });

  test("no SMTP_URL: the session says email replies are off, never asks, and both email verbs refuse with 409 email_off", async () => {
    const inbox = await insertInbox(t.database.db);
    const kim = await customerWhoWrote(t, inbox.publicKey);
    expect(await sessionOf(t, inbox.publicKey, kim.token)).toMatchObject({ askEmail: false, inbox: { emailReplies: false } });
    for (const [call, body] of [[askTranscript, { email: "kim@example.com" }], [answerPrompt, { email: "kim@example.com" }]] as const) {
      const { res, data } = await call(t, kim.token, body);
      expect(res.status).toBe(409);
      expect(data.error).toMatchObject({ code: "email_off", message: "This chat does not send email." });
    }
    expect(await t.database.db.select().from(jobs).where(eq(jobs.kind, "email.transcript"))).toEqual([]);
    const [row] = await t.database.db.select().from(contacts).where(eq(contacts.id, kim.contactId));
    expect(row?.email).toBeNull();
  });

  test("SMTP on but the inbox's reply emails off: the same", async () => {
    const withSmtp = await createTestApp({ env: { ...appEnv, SMTP_URL: mail.url } });
    try {
      const inbox = await insertInbox(withSmtp.database.db, { replyEmails: false });
      const kim = await customerWhoWrote(withSmtp, inbox.publicKey);
      expect((await sessionOf(withSmtp, inbox.publicKey, kim.token)).inbox.emailReplies).toBe(false);
      expect((await askTranscript(withSmtp, kim.token, { email: "kim@example.com" })).res.status).toBe(409);
    } finally {
      await withSmtp.close();
    }
  });
});
