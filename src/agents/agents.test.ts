import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, isNotNull } from "drizzle-orm";
import { agents, agentSessions, inboxes } from "../db/schema/index.ts";
import { DEFAULT_INBOX_NAME, ensureDefaultInbox } from "../inboxes/service.ts";
import { silentLogger } from "../log/logger.ts";
import { cookieFrom, createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { ensureAdminFromConfig } from "./service.ts";

const ADMIN = { name: "Ana <b>Admin</b>", email: "ana@example.com", password: "correct horse" };

async function signIn(t: TestApp, email = ADMIN.email, password = ADMIN.password) {
  const res = await t.post("/login", { email, password });
  return { res, cookie: cookieFrom(res, "sd_session") };
}

describe(`first run and sign-in (${storageMode})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test("with no agent, / and /login lead to /setup", async () => {
    for (const path of ["/", "/login"]) {
      const res = await t.request(path);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/setup");
    }
    const page = await (await t.request("/setup")).text();
    expect(page).toContain('<label for="field-name">Name</label>');
    expect(page).toContain('<label for="field-email">Email</label>');
    expect(page).toContain('<label for="field-password">Password</label>');
  });

  test("setup shows what is wrong with each field and keeps what was typed", async () => {
    const res = await t.post("/setup", { name: "", email: 'a"><script>alert(1)</script>', password: "short" });
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain("Enter your name.");
    expect(page).toContain("Enter an email address like ana@example.com.");
    expect(page).toContain("Use at least 8 characters.");
    expect(page).toMatch(/<input id="field-name"[^>]*autofocus/);
    // The typed value comes back inside its attribute, unable to close it.
    expect(page).toContain('value="a&#34;><script>alert(1)</script>"');
    expect(page).not.toContain('value="a">');
    const [row] = await t.database.db.select({ n: count() }).from(agents);
    expect(row!.n).toBe(0);
  });

  test("setup creates the first admin once, even when the form is submitted twice at the same moment, and signs them in", async () => {
    const [a, b] = await Promise.all([t.post("/setup", ADMIN), t.post("/setup", ADMIN)]);
    expect([a.headers.get("location"), b.headers.get("location")].sort()).toEqual(["/inbox", "/login"]);
    // The one who set it up is signed in straight away (into the inbox); the other got no session.
    const [won, lost] = a.headers.get("location") === "/inbox" ? [a, b] : [b, a];
    expect(cookieFrom(lost, "sd_session")).toBeNull();
    const inbox = await t.request("/inbox", { headers: { cookie: cookieFrom(won, "sd_session")! } });
    expect(inbox.status).toBe(200);
    const all = await t.database.db.select().from(agents);
    expect(all).toHaveLength(1);
    expect(all[0]!.role).toBe("admin");
    expect(all[0]!.passwordHash).not.toContain(ADMIN.password);
    expect(await Bun.password.verify(ADMIN.password, all[0]!.passwordHash)).toBe(true);
  });

  test("once set up, /setup leads to sign-in and cannot create another admin", async () => {
    const page = await t.request("/setup");
    expect(page.headers.get("location")).toBe("/login");
    const res = await t.post("/setup", { name: "Mallory", email: "mallory@example.com", password: "12345678" });
    expect(res.headers.get("location")).toBe("/login");
    const [row] = await t.database.db.select({ n: count() }).from(agents);
    expect(row!.n).toBe(1);
  });

  test("the sign-in page has Email and Password fields and a Sign in button", async () => {
    const page = await (await t.request("/login")).text();
    expect(page).toContain('<label for="field-email">Email</label>');
    expect(page).toContain('<label for="field-password">Password</label>');
    expect(page).toMatch(/<button[^>]*>\s*Sign in\s*<\/button>/);
  });

  test("a wrong password is refused without a session", async () => {
    const { res, cookie } = await signIn(t, ADMIN.email, "wrong password");
    expect(res.status).toBe(401);
    expect(cookie).toBeNull();
    expect(await res.text()).toContain("That email and password do not match an active account.");
  });

  test("an unknown email is refused the same way", async () => {
    const { res } = await signIn(t, "nobody@example.com", ADMIN.password);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("That email and password do not match an active account.");
  });

  test("signing in sets an httpOnly SameSite=Lax cookie and opens the inbox, with the name escaped", async () => {
    const { res, cookie } = await signIn(t, "ANA@example.com");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/inbox");
    const header = res.headers.getSetCookie().join("\n");
    expect(header).toContain("HttpOnly");
    expect(header).toContain("SameSite=Lax");
    expect(header).not.toContain("Secure"); // plain http in this test; PUBLIC_URL https turns it on

    const inbox = await t.request("/inbox", { headers: { cookie: cookie! } });
    expect(inbox.status).toBe(200);
    const page = await inbox.text();
    expect(page).toContain("No conversations yet");
    expect(page).toContain("Ana &lt;b&gt;Admin&lt;/b&gt;");
    expect(page).not.toContain("<b>Admin</b>");
  });

  test("the inbox sends a signed-out visitor to sign in and back", async () => {
    const res = await t.request("/inbox?tab=queue");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?next=%2Finbox%3Ftab%3Dqueue");
    const forged = await t.request("/inbox", { headers: { cookie: "sd_session=forged" } });
    expect(forged.status).toBe(303);
  });

  test("after sign-in the browser returns to the page it asked for, never to another site", async () => {
    const back = await t.post("/login", { ...ADMIN, next: "/inbox?tab=queue" });
    expect(back.headers.get("location")).toBe("/inbox?tab=queue");
    for (const next of ["https://evil.example/", "//evil.example/", "/\\evil.example"]) {
      const res = await t.post("/login", { ...ADMIN, next });
      expect(res.headers.get("location")).toBe("/inbox");
    }
  });

  test("signing out ends the session on the server, not only in the browser", async () => {
    const { cookie } = await signIn(t);
    const out = await t.post("/logout", {}, { cookie: cookie! });
    expect(out.headers.get("location")).toBe("/login");
    const after = await t.request("/inbox", { headers: { cookie: cookie! } });
    expect(after.status).toBe(303);
    const revoked = await t.database.db.select().from(agentSessions).where(isNotNull(agentSessions.revokedAt));
    expect(revoked.length).toBeGreaterThan(0);
  });

  test("a form posted from another site is refused", async () => {
    const fromEvil = await t.post("/login", ADMIN, { origin: "https://evil.example" });
    expect(fromEvil.status).toBe(403);
    expect(cookieFrom(fromEvil, "sd_session")).toBeNull();
    const crossSite = await t.post("/login", ADMIN, { origin: TEST_ORIGIN, "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
  });
});

describe(`boot-time data (${storageMode})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test('a default inbox named "Website" exists after the first start, and only one', async () => {
    await ensureDefaultInbox(t.database.db);
    await Promise.all([ensureDefaultInbox(t.database.db), ensureDefaultInbox(t.database.db)]);
    const rows = await t.database.db.select().from(inboxes);
    expect(rows.map((r) => r.name)).toEqual([DEFAULT_INBOX_NAME]);
    expect(rows[0]!.publicKey).toMatch(/^pk_[\w-]{16}$/);
  });

  test("ADMIN_EMAIL/ADMIN_PASSWORD create the first admin, who can sign in; later boots change nothing", async () => {
    await ensureAdminFromConfig(t.database.db, { email: "ops@example.com", password: "from-the-env" }, silentLogger);
    await ensureAdminFromConfig(t.database.db, { email: "other@example.com", password: "from-the-env" }, silentLogger);
    const all = await t.database.db.select().from(agents);
    expect(all.map((a) => [a.email, a.role])).toEqual([["ops@example.com", "admin"]]);
    const { res } = await signIn(t, "ops@example.com", "from-the-env");
    expect(res.headers.get("location")).toBe("/inbox");
  });
});
