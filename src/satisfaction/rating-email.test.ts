// The reply email asks "How was your conversation?" when the customer has left a closed
// conversation that is not rated yet (issue 16 item 5): five signed links, Terrible to Great, in
// both parts, in the customer's language; an open or already rated conversation is not asked.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversations } from "../db/schema/index.ts";
import { MINUTE, replyEmailTest, type ReplyEmailTest } from "../mail/reply-email-fixture.ts";
import { readRatingLinkToken, RATING_LINK_LIFETIME_MS } from "../mail/signed-links.ts";
import { mode } from "../widget/widget-api-testing.ts";
import { answerCloseAndEmail, emailedRatingLinks, ratingLinksInHtml, ratingLinksInText, ratingsOf } from "./rating-email-fixture.ts";

describe(`the rating question in reply emails (${mode})`, () => {
  let s: ReplyEmailTest;
  beforeAll(async () => {
    s = await replyEmailTest();
  });
  afterAll(() => s.close());

  const tokenOf = (path: string) => path.replace(/^\/rate\//, "");

  test("a closed conversation not rated yet: both parts end with the question and five links, each signed for its answer and this close", async () => {
    const { who, mail, links } = await emailedRatingLinks(s);
    expect(links.map((l) => l.label)).toEqual(["Terrible", "Bad", "Okay", "Good", "Great"]);
    const text = mail.parsed.text || "";
    // After the replies and the chat link, before the footer.
    expect(text.indexOf("How was your conversation?")).toBeGreaterThan(text.indexOf("Continue the conversation"));
    expect(text.indexOf("How was your conversation?")).toBeLessThan(text.indexOf("Unsubscribe from these emails"));

    const html = mail.parsed.html || "";
    expect(html).toContain("How was your conversation?");
    expect(ratingLinksInHtml(html)).toEqual(links);

    const [row] = await s.t.database.db.select({ closedAt: conversations.closedAt }).from(conversations).where(eq(conversations.id, who.conversationId));
    links.forEach((link, i) => {
      const claims = readRatingLinkToken(s.t.ctx.sessionSecret, tokenOf(link.path));
      expect(claims).toMatchObject({ conversationId: who.conversationId, contactId: who.contactId, episodeClosedAt: row!.closedAt!.getTime(), rating: i + 1 });
      // About 30 days, from the (real) time the email was made.
      expect(Math.abs(claims!.expiresAt - Date.now() - RATING_LINK_LIFETIME_MS)).toBeLessThan(MINUTE);
    });
    // Sending the email recorded nothing.
    expect(await ratingsOf(s, who.conversationId)).toEqual({ ratings: [], events: 0 });
  });

  test("an open conversation's email does not ask", async () => {
    const lee = await s.customer();
    await s.reply(lee.conversationId, "We are looking into it.");
    await s.later(5 * MINUTE);
    const mail = await s.mail.nth(1, lee.email!);
    expect(mail.parsed.text).toContain("We are looking into it.");
    expect(mail.parsed.text).not.toContain("How was your conversation?");
    expect(mail.parsed.html || "").not.toContain("/rate/");
  });

  test("a conversation the customer rated in the widget before the email went out is not asked again", async () => {
    const ada = await s.customer();
    await s.reply(ada.conversationId, "Done, anything else?");
    expect((await s.t.post(`/inbox/c/${ada.conversationId}/close`, {}, { cookie: s.ben.cookie })).status).toBeLessThan(400);
    const rated = await s.t.request("/api/v1/widget/rating", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ada.token}` },
      body: JSON.stringify({ rating: 5 }),
    });
    expect(rated.status).toBe(201);
    await s.later(5 * MINUTE);
    const mail = await s.mail.nth(1, ada.email!);
    expect(mail.parsed.text).toContain("Done, anything else?");
    expect(mail.parsed.text).not.toContain("How was your conversation?");
    expect(ratingLinksInHtml(mail.parsed.html || "")).toEqual([]);
  });

  test("in German, with the widget's German answers; the links open a German page", async () => {
    const { mail, links } = await emailedRatingLinks(s, { locale: "de-AT" });
    expect(mail.parsed.subject).toBe("Neue Antwort von Help");
    expect(links.map((l) => l.label)).toEqual(["Sehr schlecht", "Schlecht", "Okay", "Gut", "Sehr gut"]);
    expect(ratingLinksInHtml(mail.parsed.html || "").map((l) => l.label)).toEqual(["Sehr schlecht", "Schlecht", "Okay", "Gut", "Sehr gut"]);
    const page = await s.t.request(links[3]!.path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain("Wie war Ihre Unterhaltung?");
    expect(html).toContain("Bewertung senden");
    expect(html).toMatch(/value="4" checked/);
  });

  test("a reopen and a new close: the next email asks again with links for the new close, the old links no longer work", async () => {
    const { who, links: first } = await emailedRatingLinks(s);
    expect((await s.t.post(`/inbox/c/${who.conversationId}/reopen`, {}, { cookie: s.ben.cookie })).status).toBeLessThan(400);
    const second = ratingLinksInText((await answerCloseAndEmail(s, who, 2)).parsed.text || "", "How was your conversation?");
    expect(second).toHaveLength(5);
    const claimsOf = (path: string) => readRatingLinkToken(s.t.ctx.sessionSecret, tokenOf(path))!;
    expect(claimsOf(second[0]!.path).episodeClosedAt).toBeGreaterThan(claimsOf(first[0]!.path).episodeClosedAt);
    expect((await s.t.request(first[4]!.path)).status).toBe(410);
    expect((await s.t.request(second[4]!.path)).status).toBe(200);
  });
});
