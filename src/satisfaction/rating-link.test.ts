// The page a reply email's rating link opens (/rate/{token}): opening it records nothing (mail
// scanners and link previews open every link); its button records the rating once, as the widget
// does, and the agents see it in the timeline. Stale, forged and expired links record nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { conversationDeps } from "../app-context.ts";
import { replyEmailTest, type ReplyEmailTest } from "../mail/reply-email-fixture.ts";
import { ratingLinkToken, readRatingLinkToken } from "../mail/signed-links.ts";
import { DAY_MS, flipChar, mode } from "../widget/widget-api-testing.ts";
import type { RatingRefused } from "./model.ts";
import { openRatingLink, rateByLink } from "./rating-link.ts";
import { answerCloseAndEmail, closeConversation, emailedRatingLinks, ratingLinksInText, ratingsOf, reopenConversation } from "./rating-email-fixture.ts";

describe(`rating by the links of a reply email (${mode})`, () => {
  let s: ReplyEmailTest;
  beforeAll(async () => {
    s = await replyEmailTest();
  });
  afterAll(() => s.close());

  const checked = (html: string) => [...html.matchAll(/<input type="radio" name="rating" value="(\d)"( checked)?/g)].filter((m) => m[2]).map((m) => m[1]);
  const timeline = async (conversationId: string) => (await s.t.request(`/inbox/c/${conversationId}`, { headers: { cookie: s.ben.cookie } })).text();

  test("opening a link (as a scanner, a preview, the customer, twice) shows the form with its answer chosen and records nothing", async () => {
    const { who, links } = await emailedRatingLinks(s);
    for (const _ of [1, 2]) {
      for (const method of ["GET", "HEAD"]) expect((await s.t.request(links[1]!.path, { method })).status).toBe(200);
    }
    const page = await s.t.request(links[1]!.path);
    const html = await page.text();
    expect(html).toContain("<h1 id=\"rate-question\">How was your conversation?</h1>");
    expect(html).toContain("Your conversation with Help");
    expect(html).toContain(`<form class="settings-form" method="post" action="${links[1]!.path}">`);
    for (const label of ["Terrible", "Bad", "Okay", "Good", "Great"]) expect(html).toContain(`<span>${label}</span>`);
    expect(checked(html)).toEqual(["2"]);
    expect(html).toContain('maxlength="1000"');
    expect(html).toContain("Send rating</button>");
    // Our pages' policy: nothing inline; the token stays out of other sites' Referer and caches.
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)|<style|\sstyle=/);
    expect(page.headers.get("referrer-policy")).toBe("same-origin");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(await ratingsOf(s, who.conversationId)).toEqual({ ratings: [], events: 0 });
    expect(await timeline(who.conversationId)).not.toContain("rated this conversation");
  });

  test("the button records the rating once (the answer chosen on the page, with its comment) and agents see it in the timeline; a second send is told it was rated", async () => {
    const { who, links } = await emailedRatingLinks(s);
    const sent = await s.t.post(links[4]!.path, { rating: "2", comment: `  Slow <img src=x onerror="alert(1)"> answer ` });
    expect(sent.status).toBe(200);
    const thanks = await sent.text();
    expect(thanks).toContain("Thank you for your rating!");
    expect(await ratingsOf(s, who.conversationId)).toEqual({ ratings: [[2, `Slow <img src=x onerror="alert(1)"> answer`]], events: 1 });
    const pane = await timeline(who.conversationId);
    expect(pane).toContain("The customer rated this conversation Bad (2/5)");
    expect(pane).toContain("Slow &lt;img src=x onerror=");
    expect(pane).not.toContain("<img src=x");

    const again = await s.t.post(links[0]!.path, { rating: "1", comment: "" });
    expect(again.status).toBe(409);
    const rated = await again.text();
    expect(rated).toContain("This conversation has been rated already");
    expect(rated).not.toContain("Error id");
    expect((await s.t.request(links[3]!.path)).status).toBe(200);
    expect(await (await s.t.request(links[3]!.path)).text()).toContain("Already rated");
    expect(await ratingsOf(s, who.conversationId)).toEqual({ ratings: [[2, `Slow <img src=x onerror="alert(1)"> answer`]], events: 1 });
  });

  test("a rating outside 1-5 or a comment over 1,000 characters shows the form again with why, keeping what was typed; nothing is recorded", async () => {
    const { who, links } = await emailedRatingLinks(s);
    const bad = await s.t.post(links[2]!.path, { rating: "7", comment: "<b>keep me</b>" });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain("Choose one of the five answers.");
    expect(badHtml).toContain("&lt;b&gt;keep me&lt;/b&gt;</textarea>");
    expect(checked(badHtml)).toEqual([]);
    const long = await s.t.post(links[2]!.path, { rating: "3", comment: "x".repeat(1001) });
    expect(long.status).toBe(400);
    const longHtml = await long.text();
    expect(longHtml).toContain("A comment can have at most 1000 characters.");
    expect(longHtml).toContain('aria-invalid="true"');
    expect(checked(longHtml)).toEqual(["3"]);
    expect(await ratingsOf(s, who.conversationId)).toEqual({ ratings: [], events: 0 });
    // Then a good one goes through.
    expect((await s.t.post(links[2]!.path, { rating: "3", comment: "x".repeat(1000) })).status).toBe(200);
    expect((await ratingsOf(s, who.conversationId)).events).toBe(1);
  });

  test("a link for an earlier close: refused while reopened and after the next close; that close's own links work", async () => {
    const { who, links: old } = await emailedRatingLinks(s);
    await reopenConversation(s, who.conversationId);
    for (const res of [await s.t.request(old[4]!.path), await s.t.post(old[4]!.path, { rating: "5" })]) {
      expect(res.status).toBe(410);
      expect(await res.text()).toContain("This link has expired");
    }
    const fresh = ratingLinksInText((await answerCloseAndEmail(s, who, 2)).parsed.text || "", "How was your conversation?");
    const stale = await s.t.post(old[4]!.path, { rating: "5" });
    expect(stale.status).toBe(410);
    expect(await ratingsOf(s, who.conversationId)).toEqual({ ratings: [], events: 0 });
    expect((await s.t.post(fresh[3]!.path, { rating: "4" })).status).toBe(200);
    expect((await ratingsOf(s, who.conversationId)).ratings).toEqual([[4, null]]);
    // Reopened and closed again after a rating: a new episode, asked anew.
    await reopenConversation(s, who.conversationId);
    await closeConversation(s, who.conversationId);
    expect((await s.t.post(fresh[3]!.path, { rating: "4" })).status).toBe(410);
  });

  test("a close that ends between opening the link and its button (reopen, close) is refused under the conversation's lock", async () => {
    const { who, links } = await emailedRatingLinks(s);
    const opened = await openRatingLink(s.t.database.db, s.t.ctx.sessionSecret, links[4]!.path.slice("/rate/".length));
    if (!opened.ok) throw new Error("the link should open");
    await reopenConversation(s, who.conversationId);
    await closeConversation(s, who.conversationId);
    const refused = await rateByLink(conversationDeps(s.t.ctx), opened, { rating: 5 }).then(() => "stored", (err: RatingRefused) => err.code);
    expect(refused).toBe("not_closed");
    expect(await ratingsOf(s, who.conversationId)).toEqual({ ratings: [], events: 0 });
  });

  test("forged, cut short, expired or naming another contact: 'This link has expired', nothing recorded", async () => {
    const { who, links } = await emailedRatingLinks(s);
    const other = await s.customer();
    const token = links[4]!.path.slice("/rate/".length);
    const claims = readRatingLinkToken(s.t.ctx.sessionSecret, token)!;
    const { expiresAt: _, ...rest } = claims;
    const cases: Array<[string, number]> = [
      [flipChar(token, token.length - 1, "0123456789abcdef"), 404],
      [token.slice(0, 60), 404],
      ["not-a-token", 404],
      ["x".repeat(600), 404],
      [ratingLinkToken(s.t.ctx.sessionSecret, { ...rest, contactId: other.contactId }), 404],
      [ratingLinkToken(s.t.ctx.sessionSecret, rest, Date.now() - 31 * DAY_MS), 410],
    ];
    for (const [path, status] of cases.map(([t, status]) => [`/rate/${t}`, status] as const)) {
      const get = await s.t.request(path);
      expect(get.status).toBe(status);
      expect(await get.text()).toContain("This link has expired");
      const post = await s.t.post(path, { rating: "5" });
      expect(post.status).toBe(status);
    }
    expect(await ratingsOf(s, who.conversationId)).toEqual({ ratings: [], events: 0 });
    // Naming no one, the page speaks the browser's language.
    const german = await s.t.request("/rate/not-a-token", { headers: { "accept-language": "de-DE,de;q=0.9" } });
    expect(await german.text()).toContain("Dieser Link ist abgelaufen");
  });

  test("a cross-site POST is refused by the same-origin guard, like every other form", async () => {
    const { who, links } = await emailedRatingLinks(s);
    const res = await s.t.request(links[4]!.path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      body: "rating=5",
    });
    expect(res.status).toBe(403);
    expect(await ratingsOf(s, who.conversationId)).toEqual({ ratings: [], events: 0 });
  });
});
