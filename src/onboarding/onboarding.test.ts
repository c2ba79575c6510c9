// The empty inbox's first-run checklist: the server ticks each step from what the team has done,
// and shows nothing once all are done, after "Dismiss", or to an agent who is not an admin.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { inboxes } from "../db/schema/index.ts";
import { cookieFrom, createTestApp, signIn, TEST_PASSWORD, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { agents } from "../db/schema/index.ts";
import { ensureDefaultInbox } from "../inboxes/service.ts";

/** Each step's title and whether the checklist says it is done. */
function steps(html: string): Record<string, boolean> {
  const found: Record<string, boolean> = {};
  for (const m of html.matchAll(/<h3>.*?<span>([^<]+)<\/span><span class="visually-hidden"> \((done|to do)\)<\/span><\/h3>/g)) found[m[1]!] = m[2] === "done";
  return found;
}

describe(`the first-run checklist (${storageMode})`, () => {
  let t: TestApp;
  let admin: string;
  const checklist = async (cookie = admin) => (await t.request("/inbox/onboarding", { headers: { cookie } })).text();

  beforeAll(async () => {
    t = await createTestApp();
    // What boot does for a new install: the inbox whose snippet the checklist shows.
    await ensureDefaultInbox(t.database.db);
    const setup = await t.post("/setup", { name: "Ana", email: "ana@example.com", password: TEST_PASSWORD });
    admin = cookieFrom(setup, "sd_session")!;
  });
  afterAll(() => t.close());

  test("a new admin's empty inbox loads it: three steps to do, with the widget's snippet and the demo", async () => {
    const inbox = await (await t.request("/inbox", { headers: { cookie: admin } })).text();
    expect(inbox).toContain('hx-get="/inbox/onboarding"');
    const html = await checklist();
    expect(steps(html)).toEqual({ "Put the chat widget on your website": false, "Invite a teammate": false, "Set your business hours": false });
    expect(html).toContain("0 of 3 done");
    const [inboxRow] = await t.database.db.select().from(inboxes);
    expect(html).toContain(`data-inbox=&quot;${inboxRow!.publicKey}&quot;`);
    expect(html).toContain('href="/demo"');
  });

  test("each step is ticked once the team has done it; all done, it is gone", async () => {
    // An invite still open counts as a teammate.
    await t.post("/settings/agents/invites", { email: "ben@example.com", role: "agent" }, { cookie: admin });
    expect(steps(await checklist())["Invite a teammate"]).toBe(true);

    await t.database.db.update(inboxes).set({ businessHours: [{ day: 1, from: "09:00", to: "17:00" }] });
    let html = await checklist();
    expect(steps(html)["Set your business hours"]).toBe(true);
    expect(html).toContain("2 of 3 done");

    await t.database.db.update(inboxes).set({ widgetSeenAt: new Date() });
    html = await checklist();
    expect(html).toBe("");
  });

  test("an agent who is not an admin never gets it", async () => {
    await t.database.db.update(inboxes).set({ widgetSeenAt: null });
    await t.database.db.insert(agents).values({ name: "Cleo", email: "cleo@example.com", passwordHash: await Bun.password.hash(TEST_PASSWORD) });
    const cleo = (await signIn(t, "cleo@example.com"))!;
    expect(await (await t.request("/inbox", { headers: { cookie: cleo } })).text()).not.toContain("/inbox/onboarding");
    expect(await checklist(cleo)).toBe("");
    expect(await checklist()).toContain("Get started");
  });

  test("Dismiss hides it in this browser", async () => {
    const dismissed = await t.post("/inbox/onboarding/dismiss", {}, { cookie: admin, "hx-request": "true" });
    expect(dismissed.status).toBe(200);
    expect(await dismissed.text()).toBe("");
    const flag = cookieFrom(dismissed, "sd_onboarding")!;
    expect(await checklist(`${admin}; ${flag}`)).toBe("");
    // Without htmx the form's post goes back to the inbox.
    const plain = await t.post("/inbox/onboarding/dismiss", {}, { cookie: admin });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toBe("/inbox");
  });
});
