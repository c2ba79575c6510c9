// The widget HTTP API: the customer's language, for the bot's built-in answers and on the contact.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { botFallback } from "../conversations/bot.ts";
import type { Db } from "../db/database.ts";
import { contacts, inboxes } from "../db/schema/index.ts";
import { ensureDefaultInbox } from "../inboxes/service.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { identityHash } from "./identity.ts";
import { catalogs } from "./locales/index.ts";
import { signVisitorToken, verifyVisitorToken } from "./visitor-token.ts";
import { appEnv, fetchMessages, handoff, insertInbox, type Json, mode, okSession, send, session } from "./widget-api-testing.ts";

describe(`widget HTTP API: bot and handoff (${mode})`, () => {
  let t: TestApp;
  let db: Db;
  let defaultKey: string;

  beforeAll(async () => {
    t = await createTestApp({ env: appEnv });
    db = t.database.db;
    await ensureDefaultInbox(db);
    const [inbox] = await db.select().from(inboxes);
    defaultKey = inbox!.publicKey;
  });
  afterAll(() => t.close());

  const defaultInboxId = async () => (await db.select().from(inboxes).where(eq(inboxes.publicKey, defaultKey)))[0]!.id;
  const contactLocale = async (id: string) => (await db.select({ locale: contacts.locale }).from(contacts).where(eq(contacts.id, id)))[0]?.locale;
  /** What the bot said, in order (the greeting first). */
  const botSaid = async (token: string) => (await fetchMessages(t, token)).data.messages.filter((m: Json) => m.sender === "bot").map((m: Json) => m.body);
  const GERMAN_FALLBACK = "Darauf habe ich noch keine Antwort. Wählen Sie \u201eMit einem Menschen sprechen\u201c, dann antwortet Ihnen hier jemand aus dem Team.";
  const ENGLISH_FALLBACK = "I don't have an answer to that yet. Choose \u201cTalk to a human\u201d and someone from the team will reply here.";

  test("the fallback comes from the catalogs and names the handoff button by its label in that language", () => {
    expect(botFallback("en")).toBe(ENGLISH_FALLBACK);
    expect(botFallback("de")).toBe(GERMAN_FALLBACK);
    for (const locale of ["en", "de"] as const) expect(botFallback(locale)).toContain(catalogs[locale].handoff);
  });

  test("a German session (de-AT) gets the fallback in German, and the contact is stored with locale de", async () => {
    const s = await okSession(t, { inbox: defaultKey, locale: "de-AT" });
    expect(await contactLocale(s.contact.id)).toBeUndefined();
    expect((await send(t, s.token, { clientId: "de-1", body: "Wo ist mein Paket?" })).res.status).toBe(201);
    const said = await botSaid(s.token);
    expect(said.at(-1)).toBe(GERMAN_FALLBACK);
    expect(said).not.toContain(ENGLISH_FALLBACK);
    expect(await contactLocale(s.contact.id)).toBe("de");
  });

  test("an English, unsupported or absent locale gets the English fallback", async () => {
    for (const locale of ["en-GB", "fr-FR", "", undefined]) {
      const s = await okSession(t, { inbox: defaultKey, ...(locale === undefined ? {} : { locale }) });
      await send(t, s.token, { clientId: "en-1", body: "Where is my parcel?" });
      expect({ locale, said: (await botSaid(s.token)).at(-1) }).toEqual({ locale, said: ENGLISH_FALLBACK });
      expect({ locale, stored: await contactLocale(s.contact.id) }).toEqual({ locale, stored: "en" });
    }
  });

  test("a locale longer than 35 characters answers 400 bad_request", async () => {
    const { res, data } = await session(t, { inbox: defaultKey, locale: "x".repeat(36) });
    expect([res.status, data.error?.code]).toEqual([400, "bad_request"]);
    expect((await session(t, { inbox: defaultKey, locale: "x".repeat(35) })).res.status).toBe(200);
  });

  test("a later session with the same token but no locale stays German; naming English switches, and the fallback is still said once in a row", async () => {
    const first = await okSession(t, { inbox: defaultKey, locale: "de" });
    const again = await okSession(t, { inbox: defaultKey, token: first.token });
    expect(again.contact.id).toBe(first.contact.id);
    expect(verifyVisitorToken(t.ctx.sessionSecret, again.token)?.locale).toBe("de");
    await send(t, again.token, { clientId: "k-1", body: "Erste Frage" });
    expect((await botSaid(again.token)).at(-1)).toBe(GERMAN_FALLBACK);

    // The visitor switches the page to English: the German fallback just said still counts.
    const english = await okSession(t, { inbox: defaultKey, token: again.token, locale: "en" });
    await send(t, english.token, { clientId: "k-2", body: "Second question" });
    const { data } = await fetchMessages(t, english.token);
    expect(data.messages.at(-1).body).toBe("Second question");
    expect(data.messages.filter((m: Json) => m.body === GERMAN_FALLBACK || m.body === ENGLISH_FALLBACK)).toHaveLength(1);
    // The contact keeps the language it was created with.
    expect(await contactLocale(first.contact.id)).toBe("de");
  });

  test("a token issued before the locale claim (no l) still works, in English, and a session can make it German", async () => {
    const s = await okSession(t, { inbox: defaultKey, locale: "de" });
    const old = signVisitorToken(t.ctx.sessionSecret, { inboxId: await defaultInboxId(), contactId: s.contact.id });
    expect(JSON.parse(Buffer.from(old.split(".")[1]!, "base64url").toString())).not.toHaveProperty("l");
    const sent = await send(t, old, { clientId: "old-1", body: "Anything there?" });
    expect(sent.res.status).toBe(201);
    expect((await botSaid(old)).at(-1)).toBe(ENGLISH_FALLBACK);
    expect(await contactLocale(s.contact.id)).toBe("en");

    // The same visitor comes back: without a locale they stay English, with one they get German.
    const renewed = await okSession(t, { inbox: defaultKey, token: old });
    expect(renewed.contact.id).toBe(s.contact.id);
    expect(verifyVisitorToken(t.ctx.sessionSecret, renewed.token)?.locale).toBe("en");
    const german = await okSession(t, { inbox: defaultKey, token: old, locale: "de-CH" });
    expect(german.contact.id).toBe(s.contact.id);
    expect(verifyVisitorToken(t.ctx.sessionSecret, german.token)?.locale).toBe("de");
  });

  test("a handoff stores the visitor's language on the contact it creates", async () => {
    const s = await okSession(t, { inbox: defaultKey, locale: "de-DE" });
    expect((await handoff(t, s.token)).res.status).toBe(200);
    expect(await contactLocale(s.contact.id)).toBe("de");
  });

  test("a verified user's language is stored with the session, and kept by sessions that name none", async () => {
    const inbox = await insertInbox(db);
    const user = { id: "user-de", hash: identityHash(inbox.identitySecret, "user-de") };
    const first = await okSession(t, { inbox: inbox.publicKey, user, locale: "de-AT" });
    expect(await contactLocale(first.contact.id)).toBe("de");
    await okSession(t, { inbox: inbox.publicKey, user });
    expect(await contactLocale(first.contact.id)).toBe("de");
    await okSession(t, { inbox: inbox.publicKey, user, locale: "en-US" });
    expect(await contactLocale(first.contact.id)).toBe("en");

    // An anonymous visitor who wrote in German and then signs in: their row becomes the user's and keeps "de".
    const visitor = await okSession(t, { inbox: inbox.publicKey, locale: "de" });
    await send(t, visitor.token, { clientId: "a-1", body: "Hallo" });
    const other = { id: "user-new", hash: identityHash(inbox.identitySecret, "user-new") };
    const signedIn = await okSession(t, { inbox: inbox.publicKey, token: visitor.token, user: other });
    expect(signedIn.contact.id).toBe(visitor.contact.id);
    expect(await contactLocale(visitor.contact.id)).toBe("de");
  });
});
