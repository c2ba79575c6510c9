import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, isNull } from "drizzle-orm";
import { agents, agentSessions, inboxes, invites } from "../db/schema/index.ts";
import { silentLogger } from "../log/logger.ts";
import { cookieFrom, createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { inboxSocketHears, within } from "../testing/inbox-barrier.ts";
import { openSocket } from "../testing/ws-client.ts";
import { notificationPrefs } from "../testing/stored.ts";
import { AgentRefused, deactivateAgent } from "./service.ts";

const ADMIN = { name: "Ana Admin", email: "ana@example.com", password: "correct horse" };

async function signIn(t: TestApp, email: string, password: string): Promise<string> {
  const res = await t.post("/login", { email, password });
  expect(res.headers.get("location")).toBe("/inbox");
  return cookieFrom(res, "sd_session")!;
}

/** An agent who joined through an invite, as a browser would do it. */
async function join(t: TestApp, admin: string, email: string, role = "agent", password = "their password") {
  const page = await (await t.post("/settings/agents/invites", { email, role }, { cookie: admin })).text();
  const token = /\/invites\/([A-Za-z0-9_-]{43})/.exec(page)![1]!;
  const res = await t.post(`/invites/${token}`, { name: email.split("@")[0]!, password });
  expect(res.status).toBe(303);
  const [agent] = await t.database.db.select().from(agents).where(eq(agents.email, email));
  return { agent: agent!, cookie: cookieFrom(res, "sd_session")! };
}

describe(`the team: roles and deactivation (${storageMode})`, () => {
  let t: TestApp;
  let admin: string;
  let adminId: string;
  let base: string, wsUrl: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.post("/setup", ADMIN);
    admin = await signIn(t, ADMIN.email, ADMIN.password);
    adminId = (await t.database.db.select().from(agents))[0]!.id;
    wsUrl = `${(base = t.listen()).replace("http", "ws")}/ws/inbox`;
  });
  afterAll(() => t.close());

  test("an agent gets 403 on the admins' pages and cannot invite; the settings nav hides Agents from them", async () => {
    const { cookie } = await join(t, admin, "bob@example.com");
    const page = await t.request("/settings/agents", { headers: { cookie } });
    expect(page.status).toBe(403);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("Only an admin can open this page.");

    const post = await t.post("/settings/agents/invites", { email: "sneaky@example.com", role: "admin" }, { cookie });
    expect(post.status).toBe(403);
    expect(await t.database.db.select().from(invites).where(eq(invites.email, "sneaky@example.com"))).toHaveLength(0);
    const [bob] = await t.database.db.select().from(agents).where(eq(agents.email, "bob@example.com"));
    expect((await t.post(`/settings/agents/${adminId}/deactivate`, {}, { cookie })).status).toBe(403);
    expect((await t.post(`/settings/agents/${bob!.id}/deactivate`, {}, { cookie })).status).toBe(403);

    const profile = await (await t.request("/settings/profile", { headers: { cookie } })).text();
    expect(profile).toContain('href="/settings/profile"');
    expect(profile).toContain('href="/settings"');
    expect(profile).not.toContain('href="/settings/agents"');
    const adminProfile = await (await t.request("/settings/profile", { headers: { cookie: admin } })).text();
    expect(adminProfile).toContain('href="/settings/agents"');

    // Signed out: to sign-in, and back afterwards.
    const anonymous = await t.request("/settings/agents");
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe("/login?next=%2Fsettings%2Fagents");
  });

  test("the admin sees every agent with email, role and status", async () => {
    const page = await (await t.request("/settings/agents", { headers: { cookie: admin } })).text();
    expect(page).toContain("ana@example.com");
    expect(page).toContain("bob@example.com");
    expect(page).toContain("Admin");
    expect(page).toContain("Active");
    expect(page).toContain("(you)");
  });

  test("deactivating an agent ends their sessions and closes their inbox socket; they cannot sign in again", async () => {
    const { agent, cookie } = await join(t, admin, "carl@example.com", "agent", "carl's password");
    const second = await signIn(t, "carl@example.com", "carl's password");
    const socket = await openSocket(wsUrl, { cookie, origin: TEST_ORIGIN });
    await socket.waitFor((f) => f.includes('id="live-status"'));
    // Another agent's socket stays open.
    const { cookie: dora } = await join(t, admin, "dora@example.com");
    const bystander = await openSocket(wsUrl, { cookie: dora, origin: TEST_ORIGIN });
    await bystander.waitFor((f) => f.includes('id="live-status"'));

    const res = await t.post(`/settings/agents/${agent.id}/deactivate`, {}, { cookie: admin });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/settings/agents?done=deactivated");

    expect((await within(socket.closed, 3000, "the deactivated agent's socket to close")).code).toBe(1008);

    for (const c of [cookie, second]) {
      const next = await t.request("/inbox", { headers: { cookie: c } });
      expect(next.status).toBe(303);
      expect(next.headers.get("location")).toStartWith("/login");
    }
    const live = await t.database.db
      .select()
      .from(agentSessions)
      .where(and(eq(agentSessions.agentId, agent.id), isNull(agentSessions.revokedAt)));
    expect(live).toHaveLength(0);

    const again = await t.post("/login", { email: "carl@example.com", password: "carl's password" });
    expect(again.status).toBe(401);
    await expect(openSocket(wsUrl, { cookie, origin: TEST_ORIGIN })).rejects.toThrow();

    const page = await (await t.request("/settings/agents?done=deactivated", { headers: { cookie: admin } })).text();
    expect(page).toContain("The agent was deactivated and signed out everywhere.");
    expect(page).toContain("Deactivated");

    // The bystander was not disturbed: a list row pushed after all this still reaches them.
    await t.database.db.insert(inboxes).values({ name: "Shop", publicKey: "pk_team_barrier", identitySecret: "s" });
    await inboxSocketHears(bystander, base, "pk_team_barrier");
    bystander.close();

    // Reactivated, they sign in again (with new sessions; the old ones stay ended).
    expect((await t.post(`/settings/agents/${agent.id}/reactivate`, {}, { cookie: admin })).status).toBe(303);
    expect((await t.request("/inbox", { headers: { cookie } })).status).toBe(303);
    await signIn(t, "carl@example.com", "carl's password");
  });

  test("an admin cannot deactivate themselves, nor the last active admin", async () => {
    const self = await t.post(`/settings/agents/${adminId}/deactivate`, {}, { cookie: admin });
    expect(self.status).toBe(409);
    expect(await self.text()).toContain("You cannot deactivate yourself.");
    const missing = await t.post(`/settings/agents/${crypto.randomUUID()}/deactivate`, {}, { cookie: admin });
    expect(missing.status).toBe(404);

    // Two admins deactivating each other at the same moment: one of them stays.
    const { agent: eda } = await join(t, admin, "eda@example.com", "admin");
    const [ana] = await t.database.db.select().from(agents).where(eq(agents.id, adminId));
    const deps = { db: t.database.db, bus: t.ctx.bus, log: silentLogger };
    const results = await Promise.allSettled([deactivateAgent(deps, ana!, eda.id), deactivateAgent(deps, eda, ana!.id)]);
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(1);
    const reason = (refused[0] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(AgentRefused);
    expect((reason as AgentRefused).code).toBe("last_admin");
    const activeAdmins = await t.database.db
      .select()
      .from(agents)
      .where(and(eq(agents.role, "admin"), isNull(agents.deactivatedAt)));
    expect(activeAdmins).toHaveLength(1);
  });
});

describe(`one's own profile (${storageMode})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.post("/setup", ADMIN);
  });
  afterAll(() => t.close());

  test("changing the password needs the current one, keeps this session and ends the others", async () => {
    const here = await signIn(t, ADMIN.email, ADMIN.password);
    const elsewhere = await signIn(t, ADMIN.email, ADMIN.password);

    const wrong = await t.post("/settings/profile/password", { current: "not it", password: "a new password" }, { cookie: here });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain("That is not your current password.");
    const short = await t.post("/settings/profile/password", { current: ADMIN.password, password: "short" }, { cookie: here });
    expect(short.status).toBe(422);
    expect(await short.text()).toContain("Use at least 8 characters.");
    expect((await t.request("/inbox", { headers: { cookie: elsewhere } })).status).toBe(200);

    const ok = await t.post("/settings/profile/password", { current: ADMIN.password, password: "a new password" }, { cookie: here });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/settings/profile?done=password");

    expect((await t.request("/inbox", { headers: { cookie: here } })).status).toBe(200);
    const gone = await t.request("/inbox", { headers: { cookie: elsewhere } });
    expect(gone.status).toBe(303);
    expect(gone.headers.get("location")).toStartWith("/login");

    expect((await t.post("/login", { email: ADMIN.email, password: ADMIN.password })).status).toBe(401);
    await signIn(t, ADMIN.email, "a new password");
    ADMIN.password = "a new password";
  });

  test("the name can be changed, and is escaped", async () => {
    const cookie = await signIn(t, ADMIN.email, ADMIN.password);
    const empty = await t.post("/settings/profile/name", { name: "  " }, { cookie });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Enter your name.");
    const res = await t.post("/settings/profile/name", { name: "Ana <i>Boss</i>" }, { cookie });
    expect(res.status).toBe(303);
    const page = await (await t.request("/settings/profile?done=name", { headers: { cookie } })).text();
    expect(page).toContain("Your name was saved.");
    expect(page).toContain("Ana &lt;i&gt;Boss&lt;/i&gt;");
    // Attribute values are escaped too (quotes included); outside them no markup of the name remains.
    expect(page.replace(/"[^"]*"/g, '""')).not.toContain("<i>Boss</i>");
  });

  test("notification choices are stored on the agent and readable for the inbox", async () => {
    const cookie = await signIn(t, ADMIN.email, ADMIN.password);
    const [me] = await t.database.db.select().from(agents);
    expect(await notificationPrefs(t.database.db, me!.id)).toEqual({ sound: true, desktop: false });
    const page = await (await t.request("/settings/profile", { headers: { cookie } })).text();
    expect(page).toMatch(/name="sound" value="on" checked/);
    expect(page).not.toMatch(/name="desktop" value="on" checked/);

    const res = await t.post("/settings/profile/notifications", { desktop: "on" }, { cookie });
    expect(res.status).toBe(303);
    expect(await notificationPrefs(t.database.db, me!.id)).toEqual({ sound: false, desktop: true });
    const after = await (await t.request("/settings/profile", { headers: { cookie } })).text();
    expect(after).not.toMatch(/name="sound" value="on" checked/);
    expect(after).toMatch(/name="desktop" value="on" checked/);
  });

  test("the inbox page carries the saved notification choices, and its checkboxes save them back", async () => {
    const cookie = await signIn(t, ADMIN.email, ADMIN.password);
    const inboxRoot = async () => {
      const html = await (await t.request("/inbox", { headers: { cookie } })).text();
      const root = /<form\s+id="inbox-prefs"[^>]*>/.exec(html)?.[0] ?? "";
      const checked = (name: string) => new RegExp(`<input type="checkbox" id="pref-${name}" data-pref="${name}" checked`).test(html);
      return {
        sound: /data-notify-sound="(on|off)"/.exec(root)?.[1],
        desktop: /data-notify-desktop="(on|off)"/.exec(root)?.[1],
        soundBox: checked("sound"),
        desktopBox: checked("desktop"),
      };
    };

    // Chosen on the profile page (a form post): the inbox shows the same.
    expect((await t.post("/settings/profile/notifications", { sound: "on" }, { cookie })).status).toBe(303);
    expect(await inboxRoot()).toEqual({ sound: "on", desktop: "off", soundBox: true, desktopBox: false });
    expect((await t.post("/settings/profile/notifications", { desktop: "on" }, { cookie })).status).toBe(303);
    expect(await inboxRoot()).toEqual({ sound: "off", desktop: "on", soundBox: false, desktopBox: true });

    // From the inbox's form (htmx, on each change; both unticked is "both off"): it comes back with what was saved.
    const scripted = await t.post("/settings/profile/notifications", { from: "inbox", sound: "on", desktop: "on" }, { cookie, "hx-request": "true" });
    expect([scripted.status, /^<form id="inbox-prefs"[^>]*data-notify-sound="on" data-notify-desktop="on"[\s\S]*Saved\./.test(await scripted.text())]).toEqual([200, true]);
    expect(await inboxRoot()).toEqual({ sound: "on", desktop: "on", soundBox: true, desktopBox: true });
    const post = async (body: Record<string, string>, origin?: string) => (await t.post("/settings/profile/notifications", body, { cookie, "hx-request": "true", ...(origin ? { origin } : {}) })).status;
    expect([await post({ from: "inbox" }), await post({ from: "inbox", sound: "on" }, "https://evil.example")]).toEqual([200, 403]);
    expect((await inboxRoot()).sound).toBe("off");
  });

  test("profile forms refuse posts from other sites", async () => {
    const cookie = await signIn(t, ADMIN.email, ADMIN.password);
    const res = await t.post("/settings/profile/password", { current: ADMIN.password, password: "hijacked!!" }, { cookie, origin: "https://evil.example" });
    expect(res.status).toBe(403);
    await signIn(t, ADMIN.email, ADMIN.password);
  });
});
