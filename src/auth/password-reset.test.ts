// "Forgot password?" with SMTP_URL: a real SMTP server (smtp-server) receives the link; the link
// works once, for an hour, and using it ends every session of the agent (open sockets included).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { agents, passwordResets } from "../db/schema/index.ts";
import { smtpCapture, type SmtpCapture } from "../testing/smtp-capture.ts";
import { cookieFrom, createTestApp, signIn, TEST_ORIGIN, TEST_PASSWORD, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { wsUrl } from "../testing/widget-client.ts";
import { openSocket } from "../testing/ws-client.ts";
import { signedInTeam } from "../testing/fixtures.ts";
import { createResetLink, requestResetEmail, RESET_LINK_LIFETIME_MS } from "./password-reset.ts";

const LINK = /http:\/\/localhost:3000\/reset-password\/([A-Za-z0-9_-]{43})/;
/** The page's text without its markup: what a person reads. */
const words = (html: string) => html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");

describe(`forgot password, by email (${storageMode})`, () => {
  let t: TestApp;
  let mail: SmtpCapture;
  let base: string;
  let team: Awaited<ReturnType<typeof signedInTeam>>;
  beforeAll(async () => {
    mail = await smtpCapture();
    t = await createTestApp({ env: { SMTP_URL: mail.url, MAIL_FROM: "Support <support@example.com>", LOGIN_ATTEMPTS_PER_EMAIL_AND_IP_PER_15_MINUTES: "3" } });
    base = t.listen();
    team = await signedInTeam(t);
  });
  afterAll(async () => {
    await t.close();
    await mail.close();
  });

  const resetRows = (agentId: string) => t.database.db.select().from(passwordResets).where(eq(passwordResets.agentId, agentId));

  test("the sign-in page links to it, and it asks for the address", async () => {
    expect(await (await t.request("/login")).text()).toMatch(/<a href="\/forgot-password">Forgot password\?<\/a>/);
    const page = await (await t.request("/forgot-password")).text();
    expect(page).toContain("Email me a reset link");
  });

  test("a known and an unknown address get the same answer; only the known one gets an email", async () => {
    const known = await t.post("/forgot-password", { email: "Ben@example.com" });
    const unknown = await t.post("/forgot-password", { email: "nobody@example.com" });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const [a, b] = [await known.text(), await unknown.text()];
    expect(a).toBe(b);
    expect(words(a)).toContain("If an account uses that address, an email with a link to choose a new password is on its way.");
    const email = await mail.nth(1, "ben@example.com");
    expect(email.parsed.subject).toBe("Reset your SupportDesk password");
    expect(email.parsed.text).toContain("expires in 1 hour");
    expect(LINK.test(String(email.parsed.text))).toBe(true);
    // The row keeps a hash, never the token.
    const token = LINK.exec(String(email.parsed.text))![1]!;
    const rows = await resetRows(team.ben.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(token);
    expect(mail.to("nobody@example.com")).toHaveLength(0);
  });

  test("the link sets a new password once: every old session ends, open sockets close, the new password signs in", async () => {
    await t.post("/forgot-password", { email: "ana@example.com" });
    const token = LINK.exec(String((await mail.nth(1, "ana@example.com")).parsed.text))![1]!;
    const socket = await openSocket(wsUrl(base, "/ws/inbox"), { cookie: team.ana.cookie, origin: TEST_ORIGIN });
    await socket.waitFor((f) => f.includes('id="live-status"'));

    const form = await t.request(`/reset-password/${token}`);
    expect(form.status).toBe(200);
    expect(form.headers.get("cache-control")).toBe("no-store");
    expect(form.headers.get("referrer-policy")).toBe("same-origin");
    expect(await form.text()).toContain("Choose a new password");

    const tooShort = await t.post(`/reset-password/${token}`, { password: "short" });
    expect(tooShort.status).toBe(422);
    expect(await tooShort.text()).toContain("Use at least 8 characters.");

    const done = await t.post(`/reset-password/${token}`, { password: "a brand new password" });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/inbox");
    const fresh = cookieFrom(done, "sd_session")!;
    expect((await t.request("/inbox", { headers: { cookie: fresh } })).status).toBe(200);
    expect((await t.request("/inbox", { headers: { cookie: team.ana.cookie } })).headers.get("location")).toStartWith("/login");
    await socket.closed;

    expect(await signIn(t, "ana@example.com", TEST_PASSWORD)).toBeNull();
    expect(await signIn(t, "ana@example.com", "a brand new password")).not.toBeNull();
    // Used: the link works no more.
    expect((await t.request(`/reset-password/${token}`)).status).toBe(410);
    expect((await t.post(`/reset-password/${token}`, { password: "yet another password" })).status).toBe(410);
  });

  test("a newer link replaces the older; an expired or made-up link does not work", async () => {
    const agentId = team.ben.id;
    const older = await createResetLink({ db: t.database.db, publicUrl: t.ctx.config.publicUrl }, agentId, RESET_LINK_LIFETIME_MS);
    const newer = await createResetLink({ db: t.database.db, publicUrl: t.ctx.config.publicUrl }, agentId, RESET_LINK_LIFETIME_MS);
    expect((await t.request(new URL(older).pathname)).status).toBe(410);
    expect((await t.request(new URL(newer).pathname)).status).toBe(200);
    const twoHoursAgo = () => new Date(Date.now() - 2 * RESET_LINK_LIFETIME_MS);
    const expired = await createResetLink({ db: t.database.db, publicUrl: t.ctx.config.publicUrl, now: twoHoursAgo }, agentId, RESET_LINK_LIFETIME_MS);
    expect((await t.request(new URL(expired).pathname)).status).toBe(410);
    expect((await t.request(`/reset-password/${"x".repeat(43)}`)).status).toBe(404);
    expect(await (await t.request(`/reset-password/${"x".repeat(43)}`)).text()).toContain("This reset link does not work");
  });

  test("two links made at the same moment: only one of them works", async () => {
    const deps = { db: t.database.db, publicUrl: t.ctx.config.publicUrl };
    const links = await Promise.all([1, 2, 3].map(() => createResetLink(deps, team.ana.id, RESET_LINK_LIFETIME_MS)));
    const statuses = await Promise.all(links.map(async (link) => (await t.request(new URL(link).pathname)).status));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect((await resetRows(team.ana.id)).filter((r) => r.usedAt === null)).toHaveLength(1);
  });

  test("a deactivated agent gets no email, and their open link stops working", async () => {
    const [carl] = await t.database.db.insert(agents).values({ name: "Carl", email: "carl@example.com", passwordHash: "x" }).returning();
    const link = await createResetLink({ db: t.database.db, publicUrl: t.ctx.config.publicUrl }, carl!.id, RESET_LINK_LIFETIME_MS);
    const admin = await signIn(t, "ana@example.com", "a brand new password");
    expect((await t.post(`/settings/agents/${carl!.id}/deactivate`, {}, { cookie: admin! })).status).toBe(303);
    const before = (await resetRows(carl!.id)).length;
    expect((await t.post("/forgot-password", { email: "carl@example.com" })).status).toBe(200);
    expect(await resetRows(carl!.id)).toHaveLength(before);
    expect((await t.post(new URL(link).pathname, { password: "carl's new password" })).status).toBe(410);
    // Reactivated, Carl's old link stays dead.
    expect((await t.post(`/settings/agents/${carl!.id}/reactivate`, {}, { cookie: admin! })).status).toBe(303);
    expect((await t.request(new URL(link).pathname)).status).toBe(410);
  });

  test("a password changed in the profile closes an open link; a second request within minutes sends no second email", async () => {
    const [dana] = await t.database.db.insert(agents).values({ name: "Dana", email: "dana@example.com", passwordHash: await Bun.password.hash(TEST_PASSWORD) }).returning();
    const link = await createResetLink({ db: t.database.db, publicUrl: t.ctx.config.publicUrl }, dana!.id, RESET_LINK_LIFETIME_MS);
    const cookie = await signIn(t, "dana@example.com");
    const changed = await t.post("/settings/profile/password", { current: TEST_PASSWORD, password: "dana's new password" }, { cookie: cookie! });
    expect(changed.status).toBe(303);
    expect((await t.request(new URL(link).pathname)).status).toBe(410);

    // Two requests in a row (from anywhere): one link, one email; the second makes none.
    const deps = { db: t.database.db, bus: t.ctx.bus, log: t.ctx.log, mailer: t.ctx.mailer, publicUrl: t.ctx.config.publicUrl };
    const first = await requestResetEmail(deps, "dana@example.com");
    await first!.sent;
    expect(await requestResetEmail(deps, "dana@example.com")).toBeNull();
    expect(mail.to("dana@example.com")).toHaveLength(1);
    expect((await resetRows(dana!.id)).filter((r) => r.usedAt === null)).toHaveLength(1);
  });

  test("asking is rate-limited like signing in", async () => {
    const ask = () => t.post("/forgot-password", { email: "dora@example.com" }, { "x-forwarded-for": "203.0.113.9" });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await ask();
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await refused.text()).toContain("Too many attempts.");
  });
});

describe(`forgot password, without SMTP (${storageMode})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test("the page says to ask an admin, or to use the command line when you are the only admin", async () => {
    const page = words(await (await t.request("/forgot-password")).text());
    expect(page).toContain("ask an admin of your team: in Settings → Agents");
    expect(page).toContain("supportdesk reset-password you@example.com");
    expect(page).not.toContain("Email me a reset link");
  });
});
