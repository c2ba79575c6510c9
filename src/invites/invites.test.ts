import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { agents, invites } from "../db/schema/index.ts";
import { cookieFrom, createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { invite, outsideAttributes, setUpAdmin } from "./invite-fixture.ts";

describe(`invites without SMTP (${storageMode})`, () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await setUpAdmin(t);
  });
  afterAll(() => t.close());

  test("an admin invites; the link is shown once; the invitee joins, is signed in, and the link is used up", async () => {
    const page = await (await t.request("/settings/agents", { headers: { cookie: admin } })).text();
    expect(page).toContain('<label for="field-email">Email</label>');
    expect(page).toContain('href="/settings/profile"');
    expect(page).toContain('href="/settings"');

    const { res, page: created, token } = await invite(t, admin, "Bea@Example.com");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(token).not.toBeNull();
    expect(created).toContain("copy it now, it is shown only once");
    expect(created).toContain("bea@example.com");

    // Shown once: the list of pending invites no longer carries the link.
    const later = await (await t.request("/settings/agents", { headers: { cookie: admin } })).text();
    expect(later).toContain("bea@example.com");
    expect(later).not.toContain(token!);
    expect(later).toContain("Revoke");

    const form = await t.request(`/invites/${token}`);
    expect(form.status).toBe(200);
    expect(form.headers.get("referrer-policy")).toBe("same-origin");
    const formPage = await form.text();
    expect(formPage).toContain("bea@example.com");
    expect(formPage).toContain('<label for="field-password">Password</label>');

    const short = await t.post(`/invites/${token}`, { name: "Bea", password: "short" });
    expect(short.status).toBe(422);
    expect(await short.text()).toContain("Use at least 8 characters.");

    const accepted = await t.post(`/invites/${token}`, { name: "Bea", password: "bea's password" });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get("location")).toBe("/inbox");
    const bea = cookieFrom(accepted, "sd_session");
    expect(bea).not.toBeNull();
    expect((await t.request("/inbox", { headers: { cookie: bea! } })).status).toBe(200);

    const [row] = await t.database.db.select().from(agents).where(eq(agents.email, "bea@example.com"));
    expect(row!.role).toBe("agent");
    expect(row!.name).toBe("Bea");

    // Used once: neither the page nor the form works again, and no second account appears.
    expect((await t.request(`/invites/${token}`)).status).toBe(410);
    const again = await t.post(`/invites/${token}`, { name: "Mallory", password: "12345678" });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("This invite link does not work");
    const all = await t.database.db.select().from(agents).where(eq(agents.email, "bea@example.com"));
    expect(all).toHaveLength(1);

    // And the new agent signs in with the password they chose.
    const login = await t.post("/login", { email: "bea@example.com", password: "bea's password" });
    expect(login.headers.get("location")).toBe("/inbox");
  });

  test("an admin invite makes an admin", async () => {
    const { token } = await invite(t, admin, "cleo@example.com", "admin");
    const res = await t.post(`/invites/${token}`, { name: "Cleo", password: "cleo-password" });
    expect(res.status).toBe(303);
    const [row] = await t.database.db.select().from(agents).where(eq(agents.email, "cleo@example.com"));
    expect(row!.role).toBe("admin");
  });

  test("the database keeps only the token's SHA-256, never the token", async () => {
    const { token } = await invite(t, admin, "dan@example.com");
    const rows = await t.database.db.select().from(invites).where(eq(invites.email, "dan@example.com"));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash("sha256").update(token!).digest("hex"));
    expect(JSON.stringify(rows)).not.toContain(token!);
    const dump = JSON.stringify(await t.database.db.execute(sql`select * from invites`));
    expect(dump).not.toContain(token!);
  });

  test("expired, revoked and unknown links are refused with one page that names no address", async () => {
    const expired = await invite(t, admin, "old@example.com");
    await t.database.db
      .update(invites)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invites.email, "old@example.com"));
    const expiredPage = await t.request(`/invites/${expired.token}`);
    expect(expiredPage.status).toBe(410);
    const expiredText = await expiredPage.text();
    expect(expiredText).toContain("This invite link does not work");
    expect(expiredText).not.toContain("old@example.com");
    expect((await t.post(`/invites/${expired.token}`, { name: "Old", password: "12345678" })).status).toBe(410);
    // Gone from the pending list too.
    expect(await (await t.request("/settings/agents", { headers: { cookie: admin } })).text()).not.toContain("old@example.com");

    const revoked = await invite(t, admin, "rev@example.com");
    const [row] = await t.database.db.select().from(invites).where(eq(invites.email, "rev@example.com"));
    const revoke = await t.post(`/settings/agents/invites/${row!.id}/revoke`, {}, { cookie: admin });
    expect(revoke.status).toBe(303);
    expect(revoke.headers.get("location")).toBe("/settings/agents?done=revoked");
    expect((await t.request(`/invites/${revoked.token}`)).status).toBe(410);
    expect((await t.post(`/invites/${revoked.token}`, { name: "Rev", password: "12345678" })).status).toBe(410);

    for (const unknown of ["A".repeat(43), "not-a-token", "%3Cscript%3E"]) {
      const res = await t.request(`/invites/${unknown}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("This invite link does not work");
    }
    const none = await t.database.db.select().from(agents).where(sql`${agents.email} in ('old@example.com', 'rev@example.com')`);
    expect(none).toHaveLength(0);
  });

  test("two accepts of one link at the same moment create exactly one agent", async () => {
    const { token } = await invite(t, admin, "twice@example.com");
    const [a, b] = await Promise.all([
      t.post(`/invites/${token}`, { name: "First", password: "12345678" }),
      t.post(`/invites/${token}`, { name: "Second", password: "12345678" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 410]);
    const rows = await t.database.db.select().from(agents).where(eq(agents.email, "twice@example.com"));
    expect(rows).toHaveLength(1);
  });

  test("inviting an active agent's address is a form error; re-inviting a pending address replaces its link", async () => {
    const taken = await invite(t, admin, "ANA@example.com");
    expect(taken.res.status).toBe(422);
    expect(taken.page).toContain("This address already belongs to an agent of your team.");
    expect(taken.token).toBeNull();

    const first = await invite(t, admin, "eve@example.com");
    const second = await invite(t, admin, "eve@example.com", "admin");
    expect(first.token).not.toBe(second.token);
    expect((await t.request(`/invites/${first.token}`)).status).toBe(410);
    expect((await t.request(`/invites/${second.token}`)).status).toBe(200);
    const open = await t.database.db.select().from(invites).where(sql`${invites.email} = 'eve@example.com' and ${invites.revokedAt} is null`);
    expect(open).toHaveLength(1);
    expect(open[0]!.role).toBe("admin");
  });

  test("addresses and names from invites are escaped wherever they are shown", async () => {
    const evil = "<script>alert(1)</script>@evil.example.com";
    const { page, token } = await invite(t, admin, evil);
    expect(outsideAttributes(page)).not.toContain("<script>alert(1)</script>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;@evil.example.com");
    const list = await (await t.request("/settings/agents", { headers: { cookie: admin } })).text();
    expect(outsideAttributes(list)).not.toContain("<script>alert(1)</script>");

    const form = await (await t.request(`/invites/${token}`)).text();
    expect(outsideAttributes(form)).not.toContain("<script>alert(1)</script>");
    expect(form).not.toContain('value="<script>alert(1)</script>@evil.example.com"><');
    const bad = await t.post(`/invites/${token}`, { name: '"><img src=x onerror=alert(1)>', password: "x" });
    const badPage = await bad.text();
    expect(outsideAttributes(badPage)).not.toContain("<img src=x");
    expect(badPage).toContain('value="&#34;><img src=x onerror=alert(1)>"');

    const ok = await t.post(`/invites/${token}`, { name: "<img src=x onerror=alert(1)>", password: "12345678" });
    expect(ok.status).toBe(303);
    const team = await (await t.request("/settings/agents", { headers: { cookie: admin } })).text();
    expect(outsideAttributes(team)).not.toContain("<img src=x");
    expect(team).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  test("invite pages refuse posts from other sites", async () => {
    const res = await t.post("/settings/agents/invites", { email: "x@example.com", role: "agent" }, { cookie: admin, origin: "https://evil.example" });
    expect(res.status).toBe(403);
    const { token } = await invite(t, admin, "csrf@example.com");
    const accept = await t.post(`/invites/${token}`, { name: "C", password: "12345678" }, { "sec-fetch-site": "cross-site" });
    expect(accept.status).toBe(403);
    expect((await t.request(`/invites/${token}`)).status).toBe(200);
  });
});
