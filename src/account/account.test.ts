// The account's time zone in Settings (/settings/account): admins only, checked, and analytics
// counts its days in it from the moment it is saved.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { accountSettings, conversations } from "../db/schema/index.ts";
import { insertConversation, signedInTeam, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

describe(`the account's time zone (${storageMode})`, () => {
  let t: TestApp;
  let ana: TeamMember;
  let ben: TeamMember;

  const get = (path: string, cookie: string) => t.request(path, { headers: { cookie } });
  const save = (timeZone: string, cookie: string, headers: Record<string, string> = {}) =>
    t.request("/settings/account", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: TEST_ORIGIN, cookie, ...headers },
      body: new URLSearchParams({ timeZone }).toString(),
    });
  const savedRows = () => t.database.db.select().from(accountSettings);
  /** The per-day CSV for 2025-03-28..29 as the admin downloads it. */
  const perDay = async () => (await (await get("/analytics/conversations-per-day.csv?from=2025-03-28&to=2025-03-29", ana.cookie)).text()).trim().split("\r\n");

  beforeAll(async () => {
    t = await createTestApp();
    ({ ana, ben } = await signedInTeam(t));
    // 23:30 UTC on the 28th is 00:30 on the 29th in Berlin.
    const { conversation } = await insertConversation(t.database.db);
    await t.database.db.update(conversations).set({ createdAt: new Date("2025-03-28T23:30:00Z") }).where(eq(conversations.id, conversation.id));
  });
  afterAll(() => t.close());

  test("until an admin saves one, the zone is TIME_ZONE's default, and the page says so", async () => {
    const res = await get("/settings/account", ana.cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Now: UTC, the server&#x27;s default (TIME_ZONE) until you save one here.");
    expect(html).toContain('href="/settings/account" aria-current="page"');
    expect(html).toContain('<option value="Europe/Berlin"');
    expect(await perDay()).toEqual(["day,conversations", "2025-03-28,1", "2025-03-29,0"]);
  });

  test("an agent who is not an admin gets 403 and changes nothing, and is not offered the page", async () => {
    expect((await get("/settings/account", ben.cookie)).status).toBe(403);
    expect((await save("Europe/Berlin", ben.cookie)).status).toBe(403);
    expect(await savedRows()).toEqual([]);
    expect(await (await get("/settings/profile", ben.cookie)).text()).not.toContain('href="/settings/account"');
  });

  test("a post from another site is refused and changes nothing", async () => {
    const res = await save("Europe/Berlin", ana.cookie, { origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(res.status).toBe(403);
    expect(await savedRows()).toEqual([]);
  });

  test("a name that is not a time zone is refused with a reason; nothing is saved and what was typed stays", async () => {
    const reasons: Array<[typed: string, reason: string]> = [
      ["Mars/Olympus_Mons", "is not a time zone. Enter a time zone by its IANA name"],
      ["+01:00", "Enter a time zone by its IANA name, like &quot;Europe/Berlin&quot; or &quot;UTC&quot;."],
      ["", "Choose a time zone."],
    ];
    for (const [typed, reason] of reasons) {
      const res = await save(typed, ana.cookie);
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain("Nothing was saved.");
      expect(html).toContain(reason);
      expect(html).toContain('aria-invalid="true"');
      if (typed) expect(html).toContain(`value="${typed}"`);
    }
    // What was typed goes back into the field's value, where it cannot close the attribute.
    expect(await (await save('"><script>alert(1)</script>', ana.cookie)).text()).not.toContain('"><script>');
    expect(await savedRows()).toEqual([]);
    expect(await perDay()).toEqual(["day,conversations", "2025-03-28,1", "2025-03-29,0"]);
  });

  test("once saved, analytics counts days in the new zone at once: 23:30 UTC falls on the next day in Berlin", async () => {
    const res = await save("europe/berlin", ana.cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/settings/account?done=saved");
    const page = await (await get("/settings/account?done=saved", ana.cookie)).text();
    expect(page).toContain("Saved. Analytics counts days in the new time zone from now on.");
    expect(page).toContain("Now: Europe/Berlin.");
    expect(await perDay()).toEqual(["day,conversations", "2025-03-28,0", "2025-03-29,1"]);
    expect(await (await get("/analytics?from=2025-03-28&to=2025-03-29", ana.cookie)).text()).toContain("days in Europe/Berlin");
  });

  test("saving again replaces the zone", async () => {
    expect((await save("UTC", ana.cookie)).status).toBe(303);
    expect((await savedRows()).map((r) => r.timeZone)).toEqual(["UTC"]);
    expect(await perDay()).toEqual(["day,conversations", "2025-03-28,1", "2025-03-29,0"]);
  });
});
