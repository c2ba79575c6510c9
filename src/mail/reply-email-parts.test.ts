// What a reply email carries, as a mail program receives it (smtp-server + mailparser): subject,
// sender name, threading, the reply address and the signed links, one-click unsubscribe headers,
// both parts, escaping, the 200-character cut, and the customer's language.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { TEST_ORIGIN } from "../testing/test-app.ts";
import { insertInbox, mode } from "../widget/widget-api-testing.ts";
import { INBOUND_DOMAIN, MINUTE, rawHeader, replyEmailTest, type ReplyEmailTest } from "./reply-email-fixture.ts";
import { readChatLinkToken, readReplyAddress, readUnsubscribeToken } from "./signed-links.ts";

describe(`reply email parts (${mode})`, () => {
  let s: ReplyEmailTest;
  let secret: string;
  beforeAll(async () => {
    s = await replyEmailTest({ inbox: { name: "Help", emailSenderName: "Shop Support" } });
    secret = s.t.ctx.sessionSecret;
  });
  afterAll(() => s.close());

  async function emailed(replies: string[], options: Parameters<ReplyEmailTest["customer"]>[0] = {}) {
    const customer = await s.customer(options);
    for (const body of replies) expect((await s.reply(customer.conversationId, body)).status).toBe(201);
    await s.later(5 * MINUTE);
    return { customer, mail: await s.mail.nth(1, customer.email!) };
  }

  test("subject, sender name, threading, reply address, signed links and one-click unsubscribe", async () => {
    const { customer, mail } = await emailed(["We shipped it."]);
    const { parsed } = mail;
    expect(parsed.subject).toBe("New reply from Help");
    expect(parsed.from?.value[0]?.name).toBe("Shop Support");
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : null).toBe(customer.email);

    const replyTo = parsed.replyTo?.value[0]?.address ?? "";
    expect(readReplyAddress(secret, INBOUND_DOMAIN, replyTo)).toEqual({ ok: true, conversationId: customer.conversationId });
    expect(parsed.text).toContain("You can reply to this email");

    const seq = await s.replyEmailedSeq(customer.conversationId);
    expect(parsed.messageId).toBe(`<reply-${customer.conversationId}-${seq}@localhost>`);
    expect(parsed.references).toEqual(`<conversation-${customer.conversationId}@localhost>`);

    const chat = new RegExp(`${TEST_ORIGIN}/chat/([A-Za-z0-9_.-]+)`).exec(parsed.html || "");
    expect(readChatLinkToken(secret, chat![1]!)).toMatchObject({ conversationId: customer.conversationId, contactId: customer.contactId });
    expect(parsed.text).toContain(chat![0]);
    expect(parsed.html).toContain("Continue the conversation");

    const unsubscribe = `${TEST_ORIGIN}/email/unsubscribe/`;
    expect(rawHeader(mail, "List-Unsubscribe")).toStartWith(`<${unsubscribe}`);
    expect(rawHeader(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const token = /\/email\/unsubscribe\/([0-9a-f-]+)>/.exec(rawHeader(mail, "List-Unsubscribe")!)![1]!;
    expect(readUnsubscribeToken(secret, token)).toBe(customer.contactId);
    expect(parsed.html).toContain(`${unsubscribe}${token}`);
    expect(parsed.text).toContain(`${unsubscribe}${token}`);
    expect(rawHeader(mail, "Content-Language")).toBe("en");
  });

  test("each reply with its agent's name, oldest first, cut at 200 characters, escaped in HTML, in the text part too", async () => {
    const long = `${"a".repeat(150)} ${"b".repeat(149)}`;
    const { mail } = await emailed(["<script>alert(1)</script> & more", long]);
    const html = mail.parsed.html || "";
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more");
    const cut = `${"a".repeat(150)} ${"b".repeat(48)}…`;
    expect(Array.from(cut)).toHaveLength(200);
    expect(html).toContain(cut);
    expect(html).not.toContain("b".repeat(49));
    expect(html).toContain("Ben");

    const text = mail.parsed.text!;
    expect(text).toContain("Ben:\n<script>alert(1)</script> & more");
    expect(text).toContain(`Ben:\n${cut}`);
    expect(text.indexOf("<script>")).toBeLessThan(text.indexOf(cut));
  });

  test("a German customer gets it in German", async () => {
    const { mail } = await emailed(["Wir haben es verschickt."], { locale: "de" });
    expect(mail.parsed.subject).toBe("Neue Antwort von Help");
    expect(mail.parsed.html).toContain('lang="de"');
    expect(mail.parsed.html).toContain("Unterhaltung fortsetzen");
    expect(mail.parsed.text).toContain("Sie können auf diese E-Mail antworten");
    expect(mail.parsed.text).toContain("Diese E-Mails abbestellen");
    expect(rawHeader(mail, "Content-Language")).toBe("de");
  });

  test("without a sender name the inbox's name is the From name", async () => {
    const plain = await insertInbox(s.t.database.db, { name: "Plain Shop" });
    const { mail } = await emailed(["Hello."], { inbox: plain });
    expect(mail.parsed.from?.value[0]?.name).toBe("Plain Shop");
    expect(mail.parsed.subject).toBe("New reply from Plain Shop");
  });

  test("a reply's Markdown and links are rendered in the HTML part; the text part keeps what the agent typed", async () => {
    const { mail } = await emailed(["**Shipped** with `UPS`: https://example.com/track?id=1"]);
    const html = mail.parsed.html || "";
    expect(html).toContain("<strong>Shipped</strong> with <code");
    expect(html).toMatch(/<a href="https:\/\/example\.com\/track\?id=1" style="[^"]*" rel="noopener noreferrer nofollow ugc" target="_blank">/);
    expect(mail.parsed.text).toContain("**Shipped** with `UPS`: https://example.com/track?id=1");
  });
});

describe(`reply email parts without INBOUND_EMAIL_DOMAIN (${mode})`, () => {
  let s: ReplyEmailTest;
  beforeAll(async () => {
    s = await replyEmailTest({ env: { INBOUND_EMAIL_DOMAIN: "" } });
  });
  afterAll(() => s.close());

  test("no Reply-To, and the email says to answer through the link", async () => {
    const kim = await s.customer();
    await s.reply(kim.conversationId, "Done.");
    await s.later(5 * MINUTE);
    const mail = await s.mail.nth(1, kim.email!);
    expect(mail.parsed.replyTo).toBeUndefined();
    expect(mail.parsed.text).toContain("To answer, use the button above");
    expect(mail.parsed.text).not.toContain("You can reply to this email");
  });
});
