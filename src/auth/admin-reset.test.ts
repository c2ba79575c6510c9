// An admin resets a teammate's password from Settings → Agents (works without SMTP): a one-time
// link shown once to the admin; the teammate's password and sessions stand until it is used.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, signIn, TEST_PASSWORD, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { signedInTeam } from "../testing/fixtures.ts";

const LINK = /http:\/\/localhost:3000\/reset-password\/([A-Za-z0-9_-]{43})/;

describe(`an admin resets a teammate's password (${storageMode})`, () => {
  let t: TestApp;
  let team: Awaited<ReturnType<typeof signedInTeam>>;
  beforeAll(async () => {
    t = await createTestApp();
    team = await signedInTeam(t);
  });
  afterAll(() => t.close());

  test("the team page offers it for teammates, not for oneself", async () => {
    const page = await (await t.request("/settings/agents", { headers: { cookie: team.ana.cookie } })).text();
    expect(page).toContain(`action="/settings/agents/${team.ben.id}/reset-password"`);
    expect(page).not.toContain(`action="/settings/agents/${team.ana.id}/reset-password"`);
  });

  test("the link is shown once to the admin; Ben keeps his password and session until he uses it", async () => {
    const res = await t.post(`/settings/agents/${team.ben.id}/reset-password`, {}, { cookie: team.ana.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const page = await res.text();
    expect(page).toContain("Reset link for <span>Ben</span>");
    const token = LINK.exec(page)![1]!;
    expect(await signIn(t, "ben@example.com", TEST_PASSWORD)).not.toBeNull();
    expect((await t.request("/inbox", { headers: { cookie: team.ben.cookie } })).status).toBe(200);

    const done = await t.post(`/reset-password/${token}`, { password: "bens new password" });
    expect(done.status).toBe(303);
    expect((await t.request("/inbox", { headers: { cookie: team.ben.cookie } })).headers.get("location")).toStartWith("/login");
    expect(await signIn(t, "ben@example.com", TEST_PASSWORD)).toBeNull();
    expect(await signIn(t, "ben@example.com", "bens new password")).not.toBeNull();
  });

  test("not for oneself (the profile changes one's own), an unknown agent, or an agent", async () => {
    const self = await t.post(`/settings/agents/${team.ana.id}/reset-password`, {}, { cookie: team.ana.cookie });
    expect(self.status).toBe(409);
    expect(await self.text()).toContain("Change your own password in your profile.");
    expect((await t.post(`/settings/agents/${crypto.randomUUID()}/reset-password`, {}, { cookie: team.ana.cookie })).status).toBe(404);
    const ben = (await signIn(t, "ben@example.com", "bens new password"))!;
    expect((await t.post(`/settings/agents/${team.ana.id}/reset-password`, {}, { cookie: ben })).status).toBe(403);
  });
});
