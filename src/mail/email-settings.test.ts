// The email choices in Settings: each agent's own in the profile (the message alert; admins also
// the queue alert), and the account's queue alert wait. Without SMTP_URL both say why they are off.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { agents } from "../db/schema/index.ts";
import { signedInTeam, type TeamMember } from "../testing/fixtures.ts";
import { smtpCapture, type SmtpCapture } from "../testing/smtp-capture.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

const MESSAGE_CHOICE = "Email me a customer's message in my conversations when I have had no inbox open for 10 minutes";
const QUEUE_CHOICE = "Email me when a customer waits in the queue longer than the account's alert wait";

/** The checkbox named `name` on the page, as rendered. */
const checkbox = (html: string, name: string) => new RegExp(`<input type="checkbox" name="${name}"[^>]*>`).exec(html)?.[0] ?? "";

describe(`email choices with SMTP (${storageMode})`, () => {
  let t: TestApp;
  let mail: SmtpCapture;
  let ana: TeamMember;
  let ben: TeamMember;

  beforeAll(async () => {
    mail = await smtpCapture();
    t = await createTestApp({ env: { SMTP_URL: mail.url } });
    ({ ana, ben } = await signedInTeam(t));
  });
  afterAll(async () => {
    await t.close();
    await mail.close();
  });

  const profile = async (member: TeamMember, query = "") => (await t.request(`/settings/profile${query}`, { headers: { cookie: member.cookie } })).text();
  const choices = async (id: string) =>
    (await t.database.db.select({ message: agents.notifyEmail, queue: agents.notifyQueueEmail }).from(agents).where(eq(agents.id, id)))[0];
  const save = (member: TeamMember, form: Record<string, string>) => t.post("/settings/profile/email", { from: "profile", ...form }, { cookie: member.cookie });

  test("both on by default; an admin sees both choices, an agent only the message one", async () => {
    const anas = await profile(ana);
    expect(anas).toContain(MESSAGE_CHOICE);
    expect(anas).toContain(QUEUE_CHOICE);
    expect(checkbox(anas, "message")).toContain("checked");
    expect(checkbox(anas, "queue")).toContain("checked");
    expect(anas).not.toContain("Email is off");
    const bens = await profile(ben);
    expect(bens).toContain(MESSAGE_CHOICE);
    expect(bens).not.toContain(QUEUE_CHOICE);
  });

  test("saving turns off what is unticked; an agent's post cannot change the queue alert", async () => {
    const res = await save(ana, { message: "on" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/settings/profile?done=email");
    expect(await choices(ana.id)).toEqual({ message: true, queue: false });
    const page = await profile(ana, "?done=email");
    expect(page).toContain("Your email choices were saved.");
    expect(checkbox(page, "queue")).not.toContain("checked");

    expect((await save(ben, {})).status).toBe(303);
    expect(await choices(ben.id)).toEqual({ message: false, queue: true });
    await t.database.db.update(agents).set({ notifyQueueEmail: false }).where(eq(agents.id, ben.id));
    await save(ben, { message: "on", queue: "on" });
    expect(await choices(ben.id)).toEqual({ message: true, queue: false });

    // The inbox's sound and desktop form leaves the email choices alone.
    await t.post("/settings/profile/notifications", { from: "inbox", sound: "on" }, { cookie: ana.cookie });
    expect(await choices(ana.id)).toEqual({ message: true, queue: false });
  });

  test("the account page offers the queue alert, enabled", async () => {
    const html = await (await t.request("/settings/account", { headers: { cookie: ana.cookie } })).text();
    expect(html).toContain("Queue alert");
    expect(html).toContain("A change applies to customers who join the queue from then on.");
    expect(/<input[^>]*id="queue-alert-minutes"[^>]*>/.exec(html)?.[0]).not.toContain("disabled");
  });
});

describe(`email choices without SMTP (${storageMode})`, () => {
  let t: TestApp;
  let ana: TeamMember;
  beforeAll(async () => {
    t = await createTestApp();
    ({ ana } = await signedInTeam(t));
  });
  afterAll(() => t.close());

  test("the profile and the account page say email is off and why, with the controls disabled", async () => {
    const profile = await (await t.request("/settings/profile", { headers: { cookie: ana.cookie } })).text();
    expect(profile).toContain("Email is off: SMTP_URL is not set.");
    expect(checkbox(profile, "message")).toContain("disabled");
    expect(checkbox(profile, "queue")).toContain("disabled");
    const account = await (await t.request("/settings/account", { headers: { cookie: ana.cookie } })).text();
    expect(account).toContain("Email is off: SMTP_URL is not set.");
    expect(/<input[^>]*id="queue-alert-minutes"[^>]*>/.exec(account)?.[0]).toContain("disabled");
  });
});
