// What the rating-link tests share: a customer whose conversation an agent answered and closed,
// the reply email that then went out, and the rating links read out of its two parts.
import { expect } from "bun:test";
import { and, eq } from "drizzle-orm";
import { conversationEvents, conversationRatings } from "../db/schema/index.ts";
import { MINUTE, type Customer, type ReplyEmailTest } from "../mail/reply-email-fixture.ts";
import type { CapturedMail } from "../testing/smtp-capture.ts";

export interface RatingLink {
  label: string;
  /** The link's path on our origin: /rate/{token}. */
  path: string;
}

const pathOf = (url: string) => new URL(url).pathname;

/** The text part's rating links: "Label: URL" lines right under the question, [] when it does not ask. */
export function ratingLinksInText(text: string, ask: string): RatingLink[] {
  const at = text.indexOf(`${ask}\n`);
  if (at < 0) return [];
  const lines = text.slice(at + ask.length + 1).split("\n");
  const links: RatingLink[] = [];
  for (const line of lines) {
    const match = /^(.+): (https?:\/\/\S+\/rate\/\S+)$/.exec(line);
    if (!match) break;
    links.push({ label: match[1]!, path: pathOf(match[2]!) });
  }
  return links;
}

/** The HTML part's links to /rate/…, with their text. */
export function ratingLinksInHtml(html: string): RatingLink[] {
  return [...html.matchAll(/<a href="([^"]*\/rate\/[^"]+)"[^>]*>([^<]*)<\/a>/g)].map((m) => ({ label: m[2]!, path: pathOf(m[1]!) }));
}

export async function closeConversation(s: ReplyEmailTest, conversationId: string) {
  expect((await s.t.post(`/inbox/c/${conversationId}/close`, {}, { cookie: s.ben.cookie })).status).toBeLessThan(400);
}

export async function reopenConversation(s: ReplyEmailTest, conversationId: string) {
  expect((await s.t.post(`/inbox/c/${conversationId}/reopen`, {}, { cookie: s.ben.cookie })).status).toBeLessThan(400);
}

/** Ben answers, closes before the email's delay ends, and the email goes out: its `nth` for this customer. */
export async function answerCloseAndEmail(s: ReplyEmailTest, who: Customer, nth = 1): Promise<CapturedMail> {
  expect((await s.reply(who.conversationId, "Your refund is on its way.")).status).toBe(201);
  await closeConversation(s, who.conversationId);
  await s.later(5 * MINUTE);
  return s.mail.nth(nth, who.email!);
}

/** A closed conversation's customer and the five links its reply email carries (text part). */
export async function emailedRatingLinks(s: ReplyEmailTest, options: { locale?: string } = {}) {
  const who = await s.customer(options);
  const mail = await answerCloseAndEmail(s, who);
  const links = ratingLinksInText(mail.parsed.text || "", options.locale?.startsWith("de") ? "Wie war Ihre Unterhaltung?" : "How was your conversation?");
  expect(links).toHaveLength(5);
  return { who, mail, links };
}

/** The conversation's stored ratings, oldest first, and its `rated` events. */
export async function ratingsOf(s: ReplyEmailTest, conversationId: string) {
  const db = s.t.database.db;
  const rows = await db.select().from(conversationRatings).where(eq(conversationRatings.conversationId, conversationId)).orderBy(conversationRatings.createdAt);
  const events = await db
    .select()
    .from(conversationEvents)
    .where(and(eq(conversationEvents.conversationId, conversationId), eq(conversationEvents.type, "rated")));
  return { ratings: rows.map((r) => [r.rating, r.comment]), events: events.length };
}
