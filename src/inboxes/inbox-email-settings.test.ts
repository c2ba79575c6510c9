// The inbox's email settings on its edit page: reply emails on or off, the delay, the sender name,
// validated like the other fields; without SMTP the section says why and a save keeps them.
import { beforeAll, describe, expect, test } from "bun:test";
import { storageMode } from "../testing/test-database.ts";
import { settingsForm, settingsTestApp, type Form } from "./settings-fixture.ts";

/** The settings form with the email section as a browser posts it when the section is enabled. */
function withEmail(fields: { replyEmails?: boolean; delay?: string; senderName?: string }): Form {
  const form = settingsForm();
  form.push(["emailSettings", "on"], ["replyEmailDelayMinutes", fields.delay ?? "5"], ["emailSenderName", fields.senderName ?? ""]);
  if (fields.replyEmails ?? true) form.push(["replyEmails", "on"]);
  return form;
}

describe(`inbox settings: email, with SMTP (${storageMode})`, () => {
  const app = settingsTestApp({ SMTP_URL: "smtp://127.0.0.1:2525", INBOUND_EMAIL_DOMAIN: "reply.example.com" });
  const { post, get, newInbox, reload } = app;
  let adminCookie: string;
  beforeAll(() => void ({ adminCookie } = app.state));

  test("the section shows the stored settings, and a save stores what was changed", async () => {
    const inbox = await newInbox();
    const page = await (await get(`/settings/inboxes/${inbox.id}`, adminCookie)).text();
    expect(page).toContain('<fieldset class="plain-fieldset" aria-describedby="email-status">');
    expect(page).toMatch(/id="replyEmails"[^>]*checked/);
    expect(page).toMatch(/id="replyEmailDelayMinutes"[^>]*value="5"/);
    expect(page).toContain("and can answer the email");

    const res = await post(`/settings/inboxes/${inbox.id}`, withEmail({ replyEmails: false, delay: " 45 ", senderName: "  Shop Support " }), adminCookie);
    expect(res.status).toBe(303);
    expect(await reload(inbox.id)).toMatchObject({ replyEmails: false, replyEmailDelayMinutes: 45, emailSenderName: "Shop Support" });
    const again = await (await get(`/settings/inboxes/${inbox.id}`, adminCookie)).text();
    expect(again).not.toMatch(/id="replyEmails"[^>]*checked/);
    expect(again).toMatch(/id="emailSenderName"[^>]*value="Shop Support"/);

    expect((await post(`/settings/inboxes/${inbox.id}`, withEmail({ senderName: "" }), adminCookie)).status).toBe(303);
    expect(await reload(inbox.id)).toMatchObject({ replyEmails: true, replyEmailDelayMinutes: 5, emailSenderName: null });
  });

  test("a delay outside 1 to 1440 minutes, or a sender name with a line break or over 100 characters, answers 422 next to its field", async () => {
    const inbox = await newInbox({ replyEmailDelayMinutes: 10 });
    const cases: Array<{ form: Form; field: string; message: string }> = [
      ...["0", "1441", "1.5", "abc", "", "-3", "99999999999"].map((delay) => ({ form: withEmail({ delay }), field: "replyEmailDelayMinutes", message: "from 1 to 1440" })),
      { form: withEmail({ senderName: "Shop\r\nBcc: everyone@example.com" }), field: "emailSenderName", message: "without line breaks" },
      { form: withEmail({ senderName: "s".repeat(101) }), field: "emailSenderName", message: "at most 100 characters" },
    ];
    for (const { form, field, message } of cases) {
      const res = await post(`/settings/inboxes/${inbox.id}`, form, adminCookie);
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"[^>]*aria-describedby="${field}-error`));
      expect(html.match(new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`))?.[1]).toContain(message);
    }
    expect(await reload(inbox.id)).toEqual(inbox);
  });
});

describe(`inbox settings: email, with SMTP but no INBOUND_EMAIL_DOMAIN (${storageMode})`, () => {
  const app = settingsTestApp({ SMTP_URL: "smtp://127.0.0.1:2525" });

  test("the section says replies by email are off", async () => {
    const inbox = await app.newInbox();
    const page = await (await app.get(`/settings/inboxes/${inbox.id}`, app.state.adminCookie)).text();
    expect(page).toContain("Replies by email are off: INBOUND_EMAIL_DOMAIN is not set");
    expect(page).not.toContain('<fieldset class="plain-fieldset" disabled');
  });
});

describe(`inbox settings: email, without SMTP (${storageMode})`, () => {
  const app = settingsTestApp();

  test("the section says why email is off, its fields are disabled, and a save keeps them as they were", async () => {
    const inbox = await app.newInbox({ replyEmails: false, replyEmailDelayMinutes: 30, emailSenderName: "Shop" });
    const page = await (await app.get(`/settings/inboxes/${inbox.id}`, app.state.adminCookie)).text();
    expect(page).toContain("Email is off: SMTP_URL is not set");
    expect(page).toContain('<fieldset class="plain-fieldset" disabled aria-describedby="email-status">');
    expect(page).toMatch(/id="replyEmailDelayMinutes"[^>]*value="30"/);

    // A browser posts nothing of a disabled fieldset.
    const res = await app.post(`/settings/inboxes/${inbox.id}`, settingsForm({ name: "Renamed" }), app.state.adminCookie);
    expect(res.status).toBe(303);
    expect(await app.reload(inbox.id)).toMatchObject({ name: "Renamed", replyEmails: false, replyEmailDelayMinutes: 30, emailSenderName: "Shop" });
  });
});
