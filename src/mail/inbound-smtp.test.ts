// Replies by email over SMTP (issue 14 item 3): Gmail, Outlook and Apple Mail shaped replies,
// delivered by a real SMTP client to our listener, land once in the token's conversation as the
// customer's words (no quote, no signature), reopen it, and reach the widget and the inbox live.
// What is refused is refused with its reason in the SMTP reply, and nothing is stored.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { connect, type Socket } from "node:net";
import { contacts, conversations } from "../db/schema/index.ts";
import { storageMode } from "../testing/test-database.ts";
import { readyWidgetSocket, wsUrl } from "../testing/widget-client.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";
import { TEST_ORIGIN } from "../testing/test-app.ts";
import { customerMessages, customerWhoLeft, deliverOverSmtp, INBOUND_DOMAIN, inboundApp, messageCount, sample, SAMPLE_TEXT, SAMPLES, TEST_MAX_BYTES, withMessageId, type InboundApp } from "./inbound-fixture.ts";
import { INBOUND_REASONS } from "./inbound-model.ts";
import { MAX_SMTP_CLIENTS } from "./inbound-smtp.ts";
import { REPLY_ADDRESS_LIFETIME_MS, replyAddress } from "./signed-links.ts";

describe(`replies by email over SMTP (${storageMode})`, () => {
  let app: InboundApp;
  let base: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    app = await inboundApp();
    base = app.t.listen();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await app.t.close();
  });

  const deliver = (raw: string, to: string, from = "kim@example.com") => deliverOverSmtp(app.smtpPort, raw, { from, to });

  for (const name of SAMPLES) {
    test(`${name}: lands once, without the quote and the signature, live in the widget and the inbox`, async () => {
      const { t } = app;
      const kim = await customerWhoLeft(t, app.inbox);
      const { ws: widget } = await readyWidgetSocket(base, kim.token, TEST_ORIGIN, sockets);
      const inbox = await openSocket(wsUrl(base, "/ws/inbox"), { cookie: app.ana.cookie, origin: TEST_ORIGIN });
      sockets.push(inbox);
      inbox.send({ type: "view", conversation: kim.conversationId, after: 0 });
      await inbox.waitFor((f) => f.includes("Where is my invoice?"));
      const inboxFrom = inbox.frames.length;

      const outcome = await deliver(sample(name, { replyTo: kim.replyTo, from: kim.email.toLowerCase() }), kim.replyTo);
      expect(outcome).toMatchObject({ accepted: true, response: expect.stringContaining("OK: received") });
      expect(await customerMessages(t, kim.conversationId)).toEqual(["Where is my invoice?", SAMPLE_TEXT[name]]);
      const pushed = await widget.waitForJson((f) => f.type === "message" && f.message.body === SAMPLE_TEXT[name]);
      expect(pushed.message.sender).toBe("customer");
      // The agent's open conversation shows it (escaped HTML, so one line of it is enough).
      await inbox.waitFor((f) => f.includes(SAMPLE_TEXT[name].split("\n")[0]!.replace(/'/g, "&#39;")), 5000, inboxFrom);
    });
  }

  test("the same email delivered twice is one message; another Message-ID is another", async () => {
    const { t } = app;
    const kim = await customerWhoLeft(t, app.inbox);
    const raw = sample("gmail-reply", { replyTo: kim.replyTo, from: kim.email });
    expect(await deliver(raw, kim.replyTo)).toMatchObject({ accepted: true, response: expect.stringContaining("OK: received") });
    expect(await deliver(raw, kim.replyTo)).toMatchObject({ accepted: true, response: expect.stringContaining("OK: already received") });
    expect(await customerMessages(t, kim.conversationId)).toEqual(["Where is my invoice?", SAMPLE_TEXT["gmail-reply"]]);
    await deliver(withMessageId(raw, "<another-one@mail.gmail.com>"), kim.replyTo);
    expect(await customerMessages(t, kim.conversationId)).toHaveLength(3);
  });

  test("a reply to a closed conversation reopens it", async () => {
    const { t } = app;
    const kim = await customerWhoLeft(t, app.inbox);
    expect((await t.post(`/inbox/c/${kim.conversationId}/close`, {}, { cookie: app.ana.cookie })).status).toBeLessThan(400);
    const status = async () => (await t.database.db.select({ s: conversations.status }).from(conversations).where(eq(conversations.id, kim.conversationId)))[0]!.s;
    expect(await status()).toBe("closed");
    expect(await deliver(sample("outlook-reply", { replyTo: kim.replyTo, from: kim.email }), kim.replyTo)).toMatchObject({ accepted: true });
    expect(await status()).toBe("queued");
    expect((await customerMessages(t, kim.conversationId)).at(-1)).toBe(SAMPLE_TEXT["outlook-reply"]);
  });

  /** The reply address with one character of its signature changed. */
  const forged = (address: string) => address.replace(/([0-9a-f])@/, (_, c: string) => `${c === "0" ? "1" : "0"}@`);

  test("a forged, an expired and a foreign reply address are refused at RCPT TO with the reason; nothing is stored", async () => {
    const { t } = app;
    const kim = await customerWhoLeft(t, app.inbox);
    const before = await messageCount(t);
    const expired = replyAddress(t.ctx.sessionSecret, INBOUND_DOMAIN, kim.conversationId, Date.now() - REPLY_ADDRESS_LIFETIME_MS - 86_400_000);
    const cases: Array<[string, string]> = [
      [forged(kim.replyTo), INBOUND_REASONS.bad_token],
      [expired, INBOUND_REASONS.expired],
      [kim.replyTo.replace(INBOUND_DOMAIN, "elsewhere.example"), INBOUND_REASONS.not_a_reply_address],
      [`support@${INBOUND_DOMAIN}`, INBOUND_REASONS.not_a_reply_address],
    ];
    for (const [to, reason] of cases) {
      const outcome = await deliver(sample("apple-mail-reply", { replyTo: to, from: kim.email }), to);
      expect(outcome).toEqual({ accepted: false, responseCode: 550, response: `550 ${reason}` });
    }
    expect(await messageCount(t)).toBe(before);
  });

  test("a sender that is not the customer, an automatic reply and a reply with nothing of its own are refused after DATA; nothing is stored", async () => {
    const { t } = app;
    const kim = await customerWhoLeft(t, app.inbox);
    const before = await messageCount(t);
    const [contactBefore] = await t.database.db.select().from(contacts).where(eq(contacts.id, kim.contactId));
    const logsFrom = t.logs.length;
    const raw = sample("gmail-reply", { replyTo: kim.replyTo, from: kim.email });
    const outOfOffice = raw.replace("MIME-Version: 1.0\r\n", "MIME-Version: 1.0\r\nAuto-Submitted: auto-replied\r\n");
    const onlyQuote = sample("apple-mail-reply", { replyTo: kim.replyTo, from: kim.email }).replace(/Perfect, thank you![^\r]*\r\n/g, "");
    const cases: Array<[string, string]> = [
      [sample("gmail-reply", { replyTo: kim.replyTo, from: "mallory@example.com" }), INBOUND_REASONS.sender_mismatch],
      [outOfOffice, INBOUND_REASONS.auto_reply],
      [onlyQuote, INBOUND_REASONS.empty],
    ];
    for (const [mail, reason] of cases) {
      expect(await deliver(mail, kim.replyTo)).toEqual({ accepted: false, responseCode: 550, response: `550 ${reason}` });
    }
    expect(await messageCount(t)).toBe(before);
    const [contactAfter] = await t.database.db.select().from(contacts).where(eq(contacts.id, kim.contactId));
    expect(contactAfter).toEqual(contactBefore!);
    // The log says what was refused and why, never an address or a word of the mail.
    const logged = t.logs.slice(logsFrom).filter((line) => line.includes("reply email"));
    expect(logged.map((line) => /code=(\w+)/.exec(line)?.[1])).toEqual(["sender_mismatch", "auto_reply", "empty"]);
    for (const line of logged) expect(line).not.toMatch(/@|reply\+|invoice|Ana replied|Kim/i);
  });

  test("a mail over INBOUND_EMAIL_MAX_BYTES is refused with 552; nothing is stored", async () => {
    const { t } = app;
    const kim = await customerWhoLeft(t, app.inbox);
    const before = await messageCount(t);
    const raw = sample("outlook-reply", { replyTo: kim.replyTo, from: kim.email });
    const big = raw.replace("Hi Ana,", `Hi Ana,\r\n${"A long line of text that goes on.\r\n".repeat(TEST_MAX_BYTES / 30)}`);
    const outcome = await deliver(big, kim.replyTo);
    expect(outcome).toMatchObject({ accepted: false, responseCode: 552 });
    expect(await messageCount(t)).toBe(before);
    expect(t.logs.some((line) => line.includes("code=too_large"))).toBe(true);
  });

  test(`past ${MAX_SMTP_CLIENTS} connections at once, the next sender is told to come back later (421)`, async () => {
    const open: Socket[] = [];
    /** Connects and resolves with the server's first line (its greeting, or its refusal). */
    const greeting = () =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(app.smtpPort, "127.0.0.1");
        open.push(socket);
        socket.once("error", reject);
        socket.once("data", (data) => resolve(String(data)));
      });
    try {
      const greetings = await Promise.all(Array.from({ length: MAX_SMTP_CLIENTS }, greeting));
      expect(greetings.every((line) => line.startsWith("220 "))).toBe(true);
      expect(await greeting()).toStartWith("421 ");
    } finally {
      for (const socket of open) socket.destroy();
    }
  });
});

test(`closing the app closes the SMTP listener (${storageMode})`, async () => {
  const other = await inboundApp();
  const kim = await customerWhoLeft(other.t, other.inbox);
  const raw = sample("gmail-reply", { replyTo: kim.replyTo, from: kim.email });
  expect(await deliverOverSmtp(other.smtpPort, raw, { from: kim.email, to: kim.replyTo })).toMatchObject({ accepted: true });
  await other.t.close();
  await expect(deliverOverSmtp(other.smtpPort, raw, { from: kim.email, to: kim.replyTo })).rejects.toMatchObject({ code: "ESOCKET" });
});
