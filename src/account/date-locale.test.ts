// The account's "Language and region for dates" (/settings/account): admins choose one of the
// offered locales, and every page for agents writes its dates in it from then on.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { accountSettings, contacts } from "../db/schema/index.ts";
import { insertConversation, signedInTeam, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { setDateLocale } from "../../views/components/dates.ts";
import { dateLocaleSaved, refreshDateLocale } from "./date-locale.ts";

describe(`the account's language and region for dates (${storageMode})`, () => {
  let t: TestApp;
  let ana: TeamMember;
  let ben: TeamMember;
  let paneUrl: string;

  const get = (path: string, cookie: string) => t.request(path, { headers: { cookie } });
  const save = (locale: string, cookie: string) =>
    t.request("/settings/account/locale", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: TEST_ORIGIN, cookie },
      body: new URLSearchParams({ locale }).toString(),
    });
  const savedLocales = async () => (await t.database.db.select().from(accountSettings)).map((r) => r.locale);

  beforeAll(async () => {
    t = await createTestApp();
    ({ ana, ben } = await signedInTeam(t));
    const { conversation, contact } = await insertConversation(t.database.db);
    // The contact panel shows when the customer was first seen: a date and a time.
    await t.database.db.update(contacts).set({ createdAt: new Date("2026-03-27T14:05:00Z") }).where(eq(contacts.id, contact.id));
    paneUrl = `/inbox/c/${conversation.id}`;
  });
  afterAll(async () => {
    // Other test files in this process write dates in the default again.
    setDateLocale(null);
    await t.close();
  });

  test("by default dates are written the English way, and the setting offers the locales", async () => {
    expect(await (await get(paneUrl, ana.cookie)).text()).toContain(">2026-03-27 14:05</time>");
    const page = await (await get("/settings/account", ana.cookie)).text();
    expect(page).toContain("Language and region for dates");
    expect(page).toContain('<option value="de-DE">Deutsch (Deutschland): 27.03.2026, 14:05</option>');
  });

  test("a locale that is not offered is refused with a reason, and nothing is saved", async () => {
    const res = await save("xx-XX", ana.cookie);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Nothing was saved. Choose the language and region below and save again.");
    expect(html).toContain("Choose a language and region from the list.");
    expect(await savedLocales()).toEqual([]);
  });

  test("an agent who is not an admin cannot change it", async () => {
    expect((await save("de-DE", ben.cookie)).status).toBe(403);
    expect(await savedLocales()).toEqual([]);
  });

  test("once German is saved, the same date reads the German way for every agent", async () => {
    const res = await save("de-DE", ana.cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/settings/account?done=locale");
    expect(await savedLocales()).toEqual(["de-DE"]);
    const settings = await (await get("/settings/account?done=locale", ana.cookie)).text();
    expect(settings).toContain("Saved. Dates are written in the new language and region from now on.");
    expect(settings).toContain('<option value="de-DE" selected>');
    const pane = await (await get(paneUrl, ben.cookie)).text();
    expect(pane).toContain(">27.03.2026, 14:05</time>");
    expect(pane).not.toContain("2026-03-27 14:05");
  });

  test("a change saved elsewhere (another instance) is read again once the one read is 5 s old", async () => {
    const now = Date.now();
    await t.database.db.update(accountSettings).set({ locale: "en-US" });
    expect(await refreshDateLocale(t.database.db, now + 6_000)).toBe("en-US");
    await t.database.db.update(accountSettings).set({ locale: "fr-FR" });
    // Within 5 s of its last read this instance keeps what it read; then it reads again.
    expect(await refreshDateLocale(t.database.db, now + 10_000)).toBe("en-US");
    expect(await refreshDateLocale(t.database.db, now + 11_000)).toBe("fr-FR");
    expect(await (await get(paneUrl, ben.cookie)).text()).toContain(">27 mars 2026, 14:05</time>");
  });

  test("every request reads the setting again once the one read is stale, before it renders", async () => {
    // As if this instance last read the setting 10 s ago, and another instance saved German since.
    dateLocaleSaved(t.database.db, null, Date.now() - 10_000);
    await t.database.db.update(accountSettings).set({ locale: "de-DE" });
    expect(await (await get(paneUrl, ben.cookie)).text()).toContain(">27.03.2026, 14:05</time>");
  });

  test("probes, files and the widget never wait on the setting: /health answers while the read would hang", async () => {
    dateLocaleSaved(t.database.db, null, Date.now() - 10_000);
    const hang = new Promise<never>(() => {});
    const db = t.database.db as unknown as { select: unknown };
    const select = db.select;
    db.select = () => ({ from: () => hang });
    try {
      expect((await t.request("/health")).status).toBe(200);
      expect((await t.request("/public/app.css")).status).toBe(200);
    } finally {
      db.select = select;
    }
  });

  test("choosing the default again saves no locale", async () => {
    expect((await save("", ana.cookie)).status).toBe(303);
    expect(await savedLocales()).toEqual([null]);
    expect(await (await get(paneUrl, ana.cookie)).text()).toContain(">2026-03-27 14:05</time>");
  });
});
