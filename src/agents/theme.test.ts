// The agent's look (Settings → Profile → Appearance): saved per agent, and rendered by the server
// on <html> of every page they load, so the page is in that look from its first paint.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { agents } from "../db/schema/index.ts";
import { signedInTeam, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

describe(`the agent's theme (${storageMode})`, () => {
  let t: TestApp;
  let ana: TeamMember;
  let ben: TeamMember;
  const page = async (path: string, member: TeamMember) => (await t.request(path, { headers: { cookie: member.cookie } })).text();
  const htmlTag = (html: string) => /<html[^>]*>/.exec(html)?.[0];
  const save = (member: TeamMember, theme: string) => t.post("/settings/profile/theme", { theme }, { cookie: member.cookie });
  const themeOf = async (member: TeamMember) => (await t.database.db.select({ theme: agents.theme }).from(agents).where(eq(agents.id, member.id)))[0]?.theme;

  beforeAll(async () => {
    t = await createTestApp();
    ({ ana, ben } = await signedInTeam(t));
  });
  afterAll(() => t.close());

  test("by default pages follow the system: no theme on <html>, and the profile offers System checked", async () => {
    expect(htmlTag(await page("/inbox", ana))).toBe('<html lang="en">');
    const profile = await page("/settings/profile", ana);
    expect(/<input[^>]*id="theme-system"[^>]*>/.exec(profile)?.[0]).toContain("checked");
    expect(profile).toContain("Save appearance");
  });

  test("a choice is saved for that agent alone and every page they load carries it", async () => {
    const res = await save(ana, "dark");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/settings/profile?done=theme");
    expect(await themeOf(ana)).toBe("dark");
    for (const path of ["/inbox", "/tickets", "/analytics", "/settings", "/settings/profile?done=theme"]) {
      expect(htmlTag(await page(path, ana))).toBe('<html lang="en" data-theme="dark">');
    }
    const profile = await page("/settings/profile?done=theme", ana);
    expect(profile).toContain("Your appearance was saved.");
    expect(/<input[^>]*id="theme-dark"[^>]*>/.exec(profile)?.[0]).toContain("checked");
    expect(htmlTag(await page("/inbox", ben))).toBe('<html lang="en">');

    await save(ana, "light");
    expect(htmlTag(await page("/inbox", ana))).toBe('<html lang="en" data-theme="light">');
    await save(ana, "system");
    expect(htmlTag(await page("/inbox", ana))).toBe('<html lang="en">');
  });

  test("anything but the three choices is refused and changes nothing", async () => {
    await save(ben, "light");
    const res = await save(ben, "sepia");
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await themeOf(ben)).toBe("light");
  });
});
