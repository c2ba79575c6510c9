// Unsubscribing from reply emails by the link every one carries: opening it only asks (mail
// scanners open links); the page's button or a mail provider's one-click POST (RFC 8058) stops
// every further email, those already scheduled included.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { contacts } from "../db/schema/index.ts";
import { mode } from "../widget/widget-api-testing.ts";
import type { CapturedMail } from "../testing/smtp-capture.ts";
import { MINUTE, rawHeader, replyEmailTest, type ReplyEmailTest } from "./reply-email-fixture.ts";
import { unsubscribeToken } from "./signed-links.ts";

describe(`unsubscribing from reply emails (${mode})`, () => {
  let s: ReplyEmailTest;
  beforeAll(async () => {
    s = await replyEmailTest();
  });
  afterAll(() => s.close());

  const unsubscribedAt = async (contactId: string) =>
    (await s.t.database.db.select({ at: contacts.emailUnsubscribedAt }).from(contacts).where(eq(contacts.id, contactId)))[0]!.at;

  /** The path of the List-Unsubscribe URL of a mail. */
  const listUnsubscribePath = (mail: CapturedMail) => new URL(/^<([^>]+)>$/.exec(rawHeader(mail, "List-Unsubscribe") ?? "")![1]!).pathname;

  test("opening the link shows a button and changes nothing; the one-click POST stops every further email", async () => {
    const kim = await s.customer();
    await s.reply(kim.conversationId, "First reply.");
    await s.later(5 * MINUTE);
    const path = listUnsubscribePath(await s.mail.nth(1, kim.email!));

    const page = await s.t.request(path);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    expect(html).toContain(`<form method="post" action="${path}">`);
    expect(html).toContain("Unsubscribe</button>");
    expect(await unsubscribedAt(kim.contactId)).toBeNull();
    // Still subscribed: the next reply is emailed.
    await s.reply(kim.conversationId, "Second reply.");
    await s.later(5 * MINUTE);
    await s.mail.nth(2, kim.email!);

    // A reply waiting for its delay when the customer unsubscribes is not sent either.
    await s.reply(kim.conversationId, "Third reply.");
    // The mail provider's server: form-encoded, no Origin, no cookie.
    const oneClick = await s.t.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain("You will not get these emails any more");
    expect(await unsubscribedAt(kim.contactId)).not.toBeNull();

    await s.later(5 * MINUTE);
    expect((await s.jobsOf(kim.conversationId)).map((j) => j.status)).toEqual(["done", "done", "done"]);
    await s.reply(kim.conversationId, "Fourth reply.");
    expect(await s.jobsOf(kim.conversationId)).toHaveLength(3);
    expect(s.mail.to(kim.email!)).toHaveLength(2);
  });

  test("the page's button unsubscribes too (multipart, as some providers post), and repeating it keeps the first time", async () => {
    const lee = await s.customer();
    const path = `/email/unsubscribe/${unsubscribeToken(s.t.ctx.sessionSecret, lee.contactId)}`;
    const button = await s.t.post(path, {});
    expect(button.status).toBe(200);
    const first = await unsubscribedAt(lee.contactId);
    expect(first).not.toBeNull();
    const form = new FormData();
    form.set("List-Unsubscribe", "One-Click");
    expect((await s.t.request(path, { method: "POST", body: form })).status).toBe(200);
    expect(await unsubscribedAt(lee.contactId)).toEqual(first);
    await s.reply(lee.conversationId, "Hello?");
    expect(await s.jobsOf(lee.conversationId)).toEqual([]);
  });

  test("a forged or cut-short link answers 404 and unsubscribes no one", async () => {
    const ada = await s.customer();
    const real = unsubscribeToken(s.t.ctx.sessionSecret, ada.contactId);
    const forged = `${real.slice(0, -1)}${real.endsWith("0") ? "1" : "0"}`;
    for (const token of [forged, real.slice(0, 40), "not-a-token"]) {
      const get = await s.t.request(`/email/unsubscribe/${token}`);
      expect(get.status).toBe(404);
      expect(await get.text()).toContain("This unsubscribe link does not work");
      const post = await s.t.post(`/email/unsubscribe/${token}`, { "List-Unsubscribe": "One-Click" });
      expect(post.status).toBe(404);
    }
    expect(await unsubscribedAt(ada.contactId)).toBeNull();
  });

  test("a cross-site browser POST is refused by the same-origin guard, like every other form", async () => {
    const bo = await s.customer();
    const path = `/email/unsubscribe/${unsubscribeToken(s.t.ctx.sessionSecret, bo.contactId)}`;
    const res = await s.t.request(path, { method: "POST", headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(403);
    expect(await unsubscribedAt(bo.contactId)).toBeNull();
  });
});
