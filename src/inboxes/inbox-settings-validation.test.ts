// Inbox settings are validated as a whole: each field that is wrong answers 422 next to it, and
// nothing is saved; FAQ rows row by row. And how the form's values parse.
import { beforeAll, describe, expect, test } from "bun:test";
import { storageMode } from "../testing/test-database.ts";
import { originFromLine, parseInboxSettings, valuesFromInbox, type InboxSettingsValues } from "./model.ts";
import { settingsForm, settingsTestApp, type Form } from "./settings-fixture.ts";

describe(`inbox settings: validation (${storageMode})`, () => {
  const app = settingsTestApp();
  const { post, newInbox, reload } = app;
  let adminCookie: string;
  beforeAll(() => void ({ adminCookie } = app.state));

  test("an invalid origin line, a bad colour and a too long greeting each answer 422 next to their field, and nothing is saved", async () => {
    const inbox = await newInbox();
    const cases: Array<{ form: Form; field: string; message: string }> = [
      { form: settingsForm({ allowedOrigins: "https://ok.example\nshop.example/path\nhttps://fine.example" }), field: "allowedOrigins", message: "Line 2 (&quot;shop.example/path&quot;)" },
      { form: settingsForm({ allowedOrigins: "https://shop.example/checkout" }), field: "allowedOrigins", message: "Line 1" },
      { form: settingsForm({ color: "blue" }), field: "color", message: "six hex digits" },
      { form: settingsForm({ color: "#12345" }), field: "color", message: "six hex digits" },
      { form: settingsForm({ greeting: "x".repeat(501) }), field: "greeting", message: "at most 500 characters" },
      { form: settingsForm({ name: "   " }), field: "name", message: "Enter a name" },
      { form: settingsForm({ name: "n".repeat(101) }), field: "name", message: "at most 100 characters" },
    ];
    for (const { form, field, message } of cases) {
      const res = await post(`/settings/inboxes/${inbox.id}`, form, adminCookie);
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain('role="alert"');
      expect(html).toContain("Nothing was saved");
      // The field is marked and described by its error, which says what is wrong.
      expect(html).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"[^>]*aria-describedby="${field}-error`));
      const error = html.match(new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`));
      expect(error?.[1]).toContain(message);
      // What was typed is shown again.
      expect(html).toContain("Refunds take 5 days.</textarea>");
    }
    expect(await reload(inbox.id)).toEqual(inbox);
  });

  test("FAQ rows are validated row by row, and at most 50 questions are kept", async () => {
    const inbox = await newInbox();
    const res = await post(
      `/settings/inboxes/${inbox.id}`,
      settingsForm({}, [
        ["refund", "Fine."],
        ["", "An answer without keywords"],
        ["hours", ""],
        ["k".repeat(51), "Long keyword"],
        [Array.from({ length: 11 }, (_, i) => `k${i}`).join(","), "Too many keywords"],
        ["long", "a".repeat(1001)],
      ]),
      adminCookie,
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).not.toContain('id="faq-0-keywords-error"');
    expect(html).toMatch(/id="faq-1-keywords"[^>]*aria-invalid="true"[^>]*aria-describedby="faq-1-keywords-error/);
    expect(html).toContain('id="faq-1-keywords-error">Add at least one keyword');
    expect(html).toMatch(/id="faq-2-answer"[^>]*aria-invalid="true"/);
    expect(html).toContain('id="faq-2-answer-error">Write the answer');
    expect(html).toContain('id="faq-3-keywords-error">Keep each keyword within 50 characters');
    expect(html).toContain('id="faq-4-keywords-error">Use at most 10 keywords');
    expect(html).toContain('id="faq-5-answer-error">Use at most 1000 characters');

    const many = Array.from({ length: 51 }, (_, i): [string, string] => [`word${i}`, `Answer ${i}`]);
    const tooMany = await post(`/settings/inboxes/${inbox.id}`, settingsForm({}, many), adminCookie);
    expect(tooMany.status).toBe(422);
    expect(await tooMany.text()).toContain('id="faq-error">Use at most 50 questions');
    expect(await reload(inbox.id)).toEqual(inbox);

    expect((await post(`/settings/inboxes/${inbox.id}`, settingsForm({}, many.slice(0, 50)), adminCookie)).status).toBe(303);
    expect((await reload(inbox.id)).faq).toHaveLength(50);
  });
});

describe("inbox settings parsing", () => {
  test("an allowed-website line is an origin: forgiving about a trailing slash and capitals, strict about the rest", () => {
    expect(originFromLine("https://shop.example")).toBe("https://shop.example");
    expect(originFromLine("  https://Shop.Example/ ")).toBe("https://shop.example");
    expect(originFromLine("http://localhost:8080")).toBe("http://localhost:8080");
    expect(originFromLine("https://shop.example:443")).toBe("https://shop.example");
    for (const bad of ["shop.example", "https://shop.example/path", "https://shop.example?q", "https://user@shop.example", "javascript:alert(1)", "ftp://shop.example", "https://", "*"]) {
      expect(originFromLine(bad)).toBeNull();
    }
  });

  test("a stored inbox's values parse back to the same settings", () => {
    const values: InboxSettingsValues = {
      name: "Shop",
      greeting: "",
      handoffMode: "immediate",
      faq: [{ keywords: "a, b", answer: "c" }],
      allowedOrigins: "",
      color: "#abcdef",
      position: "right",
      requireIdentity: false,
      keepPageQuery: true,
      email: { replyEmails: true, replyEmailDelayMinutes: "5", emailSenderName: "" },
    };
    const parsed = parseInboxSettings(values);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toEqual({
      name: "Shop",
      greeting: "",
      handoffMode: "immediate",
      faq: [{ keywords: ["a", "b"], answer: "c" }],
      allowedOrigins: [],
      color: "#abcdef",
      position: "right",
      requireIdentity: false,
      keepPageQuery: true,
      replyEmails: true,
      replyEmailDelayMinutes: 5,
      emailSenderName: null,
    });
    const roundTrip = valuesFromInbox({ replyEmails: true, replyEmailDelayMinutes: 5, emailSenderName: null, businessHours: null, timeZone: null, replyTimeMode: "auto", replyTimeText: null, assignmentMode: "manual", maxOpenPerAgent: null, widgetSeenAt: null, ...parsed.value, id: "x", publicKey: "pk", identitySecret: "s", createdAt: new Date() });
    // The hours section (hours-settings.test.ts) comes back too, as the stored defaults.
    const { hours, ...rest } = roundTrip;
    expect(rest).toEqual(values);
    expect(hours).toMatchObject({ hoursOn: false, replyTimeMode: "auto", assignmentMode: "manual" });
    expect(parseInboxSettings({ ...values, handoffMode: "sometimes", position: "top" })).toMatchObject({ ok: false, errors: { fields: { handoffMode: expect.any(String), position: expect.any(String) } } });
  });
});
