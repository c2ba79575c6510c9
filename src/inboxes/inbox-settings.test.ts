// Inbox settings for admins (/settings, /settings/inboxes/:id): who may change what, validation
// with per-field errors, and that the widget uses a change at once (HTTP and socket).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { agents, contacts, inboxes } from "../db/schema/index.ts";
import { cookieFrom, createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";
import { identityHash } from "../widget/identity.ts";
import { originFromLine, parseInboxSettings, valuesFromInbox, type InboxSettingsValues } from "./model.ts";
import type { Inbox } from "./service.ts";

type Json = Record<string, any>;
type Form = Array<[string, string]>;

const PASSWORD = "12345678";

/** A complete, valid settings form; `overrides` replaces fields (FAQ rows as repeated fields). */
function settingsForm(overrides: Partial<Record<string, string>> = {}, faq: Array<[string, string]> = [["refund, money back", "Refunds take 5 days."]]): Form {
  const fields: Record<string, string> = {
    name: "Shop help",
    greeting: "Welcome to the shop!",
    handoffMode: "bot",
    allowedOrigins: "https://shop.example\r\nhttps://www.shop.example/",
    color: "#0F766E",
    position: "left",
    requireIdentity: "on",
    ...overrides,
  };
  const form: Form = Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
  for (const [keywords, answer] of faq) form.push(["faqKeywords", keywords], ["faqAnswer", answer]);
  return form;
}

describe(`inbox settings (${storageMode})`, () => {
  let t: TestApp;
  let base: string;
  let adminCookie: string;
  let agentCookie: string;
  const sockets: TestSocket[] = [];

  const db = () => t.database.db;

  async function login(email: string) {
    const cookie = cookieFrom(await t.post("/login", { email, password: PASSWORD }), "sd_session");
    expect(cookie).not.toBeNull();
    return cookie!;
  }

  /** A form post as a browser on our own origin sends it (repeated fields kept). */
  function post(path: string, form: Form, cookie: string, headers: Record<string, string> = {}) {
    return t.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: TEST_ORIGIN, cookie, ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  const get = (path: string, cookie: string) => t.request(path, { headers: { cookie } });

  let n = 0;
  async function newInbox(values: Partial<typeof inboxes.$inferInsert> = {}): Promise<Inbox> {
    n++;
    const [row] = await db()
      .insert(inboxes)
      .values({ name: `Inbox ${n}`, publicKey: `pk_settings_${n}_${crypto.randomUUID().slice(0, 8)}`, identitySecret: `secret-${crypto.randomUUID()}`, ...values })
      .returning();
    return row!;
  }

  const reload = async (id: string) => (await db().select().from(inboxes).where(eq(inboxes.id, id)))[0]!;

  async function widgetSession(body: Json): Promise<{ status: number; data: Json }> {
    const res = await t.request("/api/v1/widget/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, data: (await res.json()) as Json };
  }

  async function widgetSend(token: string, body: string) {
    const res = await t.request("/api/v1/widget/messages", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ clientId: crypto.randomUUID(), body }),
    });
    expect(res.status).toBe(201);
  }

  async function widgetMessages(token: string): Promise<Array<[string, string]>> {
    const res = await t.request("/api/v1/widget/messages", { headers: { authorization: `Bearer ${token}` } });
    const data = (await res.json()) as Json;
    return data.messages.map((m: Json) => [m.sender, m.body]);
  }

  beforeAll(async () => {
    t = await createTestApp();
    base = t.listen();
    await t.post("/setup", { name: "Ana", email: "ana@example.com", password: PASSWORD });
    await db()
      .insert(agents)
      .values({ name: "Bo", email: "bo@example.com", role: "agent", passwordHash: await Bun.password.hash(PASSWORD) });
    adminCookie = await login("ana@example.com");
    agentCookie = await login("bo@example.com");
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  test("an admin edits every setting: stored, shown again with a Saved message, and the widget uses it at once", async () => {
    const inbox = await newInbox();
    const before = await widgetSession({ inbox: inbox.publicKey });
    expect(before.data.inbox).toMatchObject({ greeting: "Hi! How can we help?", handoffMode: "bot", color: "#2563eb", position: "right" });

    const res = await post(
      `/settings/inboxes/${inbox.id}`,
      settingsForm({ requireIdentity: undefined }, [
        ["refund, money back", "Refunds take 5 days."],
        ["", ""], // a blank row (the one the page always adds) is dropped
        ["shipping ,  delivery", "We ship within 2 days."],
      ]),
      adminCookie,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/settings/inboxes/${inbox.id}?done=saved`);

    const stored = await reload(inbox.id);
    expect(stored).toMatchObject({
      name: "Shop help",
      greeting: "Welcome to the shop!",
      handoffMode: "bot",
      allowedOrigins: ["https://shop.example", "https://www.shop.example"],
      color: "#0f766e",
      position: "left",
      requireIdentity: false,
      faq: [
        { keywords: ["refund", "money back"], answer: "Refunds take 5 days." },
        { keywords: ["shipping", "delivery"], answer: "We ship within 2 days." },
      ],
      // What the page does not edit stays as it was.
      publicKey: inbox.publicKey,
      identitySecret: inbox.identitySecret,
    });

    const page = await get(res.headers.get("location")!, adminCookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<div role="status"[^>]*>\s*<p class="notice">Saved\./);
    expect(html).toContain('value="Shop help"');
    expect(html).toContain("Welcome to the shop!</textarea>");
    expect(html).toMatch(/id="handoffMode-bot"[^>]*checked/);
    expect(html).not.toMatch(/id="handoffMode-immediate"[^>]*checked/);
    expect(html).toMatch(/id="position-left"[^>]*checked/);
    expect(html).toContain('value="refund, money back"');
    expect(html).toContain("We ship within 2 days.</textarea>");
    expect(html).toContain("https://shop.example\nhttps://www.shop.example</textarea>");
    expect(html).toContain('value="#0f766e"');
    expect(html).not.toMatch(/id="requireIdentity"[^>]*checked/);
    expect(html).toContain(`data-inbox=&quot;${inbox.publicKey}&quot;`);

    // The widget: the new look and greeting, and the FAQ answers in bot mode.
    const after = await widgetSession({ inbox: inbox.publicKey });
    expect(after.status).toBe(200);
    expect(after.data.inbox).toMatchObject({ name: "Shop help", greeting: "Welcome to the shop!", handoffMode: "bot", color: "#0f766e", position: "left" });
    await widgetSend(after.data.token, "Can I get my money back?");
    expect(await widgetMessages(after.data.token)).toEqual([
      ["bot", "Welcome to the shop!"],
      ["customer", "Can I get my money back?"],
      ["bot", "Refunds take 5 days."],
    ]);

    // Straight to the queue, and identity required, also at once.
    expect((await post(`/settings/inboxes/${inbox.id}`, settingsForm({ handoffMode: "immediate" }), adminCookie)).status).toBe(303);
    const anonymous = await widgetSession({ inbox: inbox.publicKey });
    expect(anonymous.status).toBe(401);
    expect(anonymous.data.error.code).toBe("identity_required");
    const user = { id: "user-1", hash: identityHash(inbox.identitySecret, "user-1") };
    const verified = await widgetSession({ inbox: inbox.publicKey, user });
    expect(verified.data.inbox.handoffMode).toBe("immediate");
    await widgetSend(verified.data.token, "Where is my refund?");
    expect(await widgetMessages(verified.data.token)).toEqual([["customer", "Where is my refund?"]]);
    expect((await reload(inbox.id)).requireIdentity).toBe(true);
    const again = await (await get(`/settings/inboxes/${inbox.id}`, adminCookie)).text();
    expect(again).toMatch(/id="requireIdentity"[^>]*checked/);
    expect(again).toMatch(/id="handoffMode-immediate"[^>]*checked/);
  });

  test("Keep page query strings: off by default; saved and shown ticked when an admin turns it on, and visitors' pages keep their query then, never the fragment", async () => {
    const inbox = await newInbox();
    expect(inbox.keepPageQuery).toBe(false);
    expect(await (await get(`/settings/inboxes/${inbox.id}`, adminCookie)).text()).toMatch(/<input type="checkbox" id="keepPageQuery" name="keepPageQuery" value="on" aria-describedby/);
    const user = { id: "user-page", hash: identityHash(inbox.identitySecret, "user-page") };
    const page = "https://shop.example/account?token=s3cret-session&tab=orders#access_token=abc";
    const storedPage = async () => {
      const { status, data } = await widgetSession({ inbox: inbox.publicKey, user, page });
      expect(status).toBe(200);
      return (await db().select().from(contacts).where(eq(contacts.id, data.contact.id)))[0]!.lastPageUrl;
    };
    expect(await storedPage()).toBe("https://shop.example/account");

    const res = await post(`/settings/inboxes/${inbox.id}`, settingsForm({ keepPageQuery: "on" }), adminCookie);
    expect(res.status).toBe(303);
    expect((await reload(inbox.id)).keepPageQuery).toBe(true);
    expect(await (await get(res.headers.get("location")!, adminCookie)).text()).toMatch(/id="keepPageQuery"[^>]*checked/);
    expect(await storedPage()).toBe("https://shop.example/account?token=s3cret-session&tab=orders");

    // An unticked box is not posted: the setting goes off again.
    expect((await post(`/settings/inboxes/${inbox.id}`, settingsForm(), adminCookie)).status).toBe(303);
    expect((await reload(inbox.id)).keepPageQuery).toBe(false);
    expect(await (await get(`/settings/inboxes/${inbox.id}`, adminCookie)).text()).not.toMatch(/id="keepPageQuery"[^>]*checked/);
    expect(await storedPage()).toBe("https://shop.example/account");
  });

  test("an open widget socket uses the new FAQ from the next message on", async () => {
    const inbox = await newInbox();
    const { data } = await widgetSession({ inbox: inbox.publicKey });
    const ws = await openSocket(`${base.replace("http", "ws")}/ws/widget`, { origin: TEST_ORIGIN });
    sockets.push(ws);
    ws.send({ type: "auth", token: data.token });
    await ws.waitForJson((f) => f.type === "ready");

    expect((await post(`/settings/inboxes/${inbox.id}`, settingsForm({ requireIdentity: undefined, allowedOrigins: "" }, [["opening hours", "9 to 5."]]), adminCookie)).status).toBe(303);
    ws.send({ type: "send", clientId: "c1", body: "What are your opening hours?" });
    ws.send({ type: "resume", lastSeq: 0 }); // as a client does on the status frame naming its new conversation
    await ws.waitForJson((f) => f.type === "message" && f.message?.body === "9 to 5.");

    // Identity now required: the anonymous socket is told and closed on its next message.
    expect((await post(`/settings/inboxes/${inbox.id}`, settingsForm({ allowedOrigins: "" }), adminCookie)).status).toBe(303);
    ws.send({ type: "send", clientId: "c2", body: "Still there?" });
    expect((await ws.waitForJson((f) => f.type === "error")).code).toBe("unauthorized");
    expect((await ws.closed).code).toBe(1008);
  });

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

  test("an agent who is not an admin gets 403 on every inbox settings page and post, and changes nothing", async () => {
    const inbox = await newInbox();
    const page = await get(`/settings/inboxes/${inbox.id}`, agentCookie);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain("Admins only");
    expect((await post(`/settings/inboxes/${inbox.id}`, settingsForm(), agentCookie)).status).toBe(403);
    expect((await post(`/settings/inboxes/${inbox.id}/secret`, [], agentCookie)).status).toBe(403);
    const before = (await db().select().from(inboxes)).length;
    expect((await post("/settings/inboxes", [["name", "Sneaky"]], agentCookie)).status).toBe(403);
    expect((await db().select().from(inboxes)).length).toBe(before);
    expect(await reload(inbox.id)).toEqual(inbox);

    // The list with snippets stays open to them, without the admin's controls.
    const list = await get("/settings", agentCookie);
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain(`data-inbox=&quot;${inbox.publicKey}&quot;`);
    expect(html).not.toContain(`/settings/inboxes/${inbox.id}`);
    expect(html).not.toContain("New inbox");
  });

  test("signed-out visitors are sent to sign in; unknown inboxes are 404", async () => {
    const inbox = await newInbox();
    const anonymous = await t.request(`/settings/inboxes/${inbox.id}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe(`/login?next=${encodeURIComponent(`/settings/inboxes/${inbox.id}`)}`);
    expect((await post(`/settings/inboxes/${inbox.id}`, settingsForm(), "")).status).toBe(303);
    expect(await reload(inbox.id)).toEqual(inbox);
    expect((await get(`/settings/inboxes/${crypto.randomUUID()}`, adminCookie)).status).toBe(404);
    expect((await get("/settings/inboxes/not-a-uuid", adminCookie)).status).toBe(404);
    expect((await post(`/settings/inboxes/${crypto.randomUUID()}`, settingsForm(), adminCookie)).status).toBe(404);
  });

  test("a post from another site is refused and changes nothing", async () => {
    const inbox = await newInbox();
    const crossSite = await post(`/settings/inboxes/${inbox.id}`, settingsForm(), adminCookie, { origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    const fetchMeta = await post(`/settings/inboxes/${inbox.id}/secret`, [], adminCookie, { origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(fetchMeta.status).toBe(403);
    const before = (await db().select().from(inboxes)).length;
    expect((await post("/settings/inboxes", [["name", "Evil"]], adminCookie, { origin: "https://evil.example" })).status).toBe(403);
    expect((await db().select().from(inboxes)).length).toBe(before);
    expect(await reload(inbox.id)).toEqual(inbox);
  });

  test("regenerating the identity secret changes it, and hashes made with the old one are refused", async () => {
    const inbox = await newInbox();
    const user = (secret: string) => ({ id: "user-9", email: "cy@example.com", hash: identityHash(secret, "user-9") });
    expect((await widgetSession({ inbox: inbox.publicKey, user: user(inbox.identitySecret) })).status).toBe(200);

    const page = await (await get(`/settings/inboxes/${inbox.id}`, adminCookie)).text();
    expect(page).toContain(inbox.identitySecret);
    expect(page).toContain('action="/settings/inboxes/' + inbox.id + '/secret"');
    expect(page).toContain("data-confirm=");

    const res = await post(`/settings/inboxes/${inbox.id}/secret`, [], adminCookie);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/settings/inboxes/${inbox.id}?done=secret`);
    const { identitySecret } = await reload(inbox.id);
    expect(identitySecret).not.toBe(inbox.identitySecret);
    expect(identitySecret.length).toBeGreaterThanOrEqual(40);

    const old = await widgetSession({ inbox: inbox.publicKey, user: user(inbox.identitySecret) });
    expect(old.status).toBe(401);
    expect(old.data.error.code).toBe("identity_invalid");
    expect((await widgetSession({ inbox: inbox.publicKey, user: user(identitySecret) })).status).toBe(200);

    const after = await (await get(res.headers.get("location")!, adminCookie)).text();
    expect(after).toContain(identitySecret);
    expect(after).not.toContain(inbox.identitySecret);
    expect(after).toContain("A new identity secret was made");
  });

  test("creating an inbox gives it a fresh key and secret, and its snippet appears on /settings", async () => {
    const before = await (await get("/settings", adminCookie)).text();
    const snippets = (html: string) => html.match(/class="snippet-code"/g)?.length ?? 0;
    expect(before).toContain("New inbox");

    const empty = await post("/settings/inboxes", [["name", "  "]], adminCookie);
    expect(empty.status).toBe(422);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toMatch(/id="new-inbox-name"[^>]*aria-invalid="true"[^>]*aria-describedby="new-inbox-name-error/);
    expect(snippets(emptyHtml)).toBe(snippets(before));

    const res = await post("/settings/inboxes", [["name", "Second site"]], adminCookie);
    expect(res.status).toBe(303);
    const id = res.headers.get("location")!.match(/^\/settings\/inboxes\/([0-9a-f-]{36})\?done=created$/)![1]!;
    const created = await reload(id);
    expect(created.name).toBe("Second site");
    expect(created.publicKey).toMatch(/^pk_[A-Za-z0-9_-]{16}$/);
    expect(created.identitySecret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const after = await (await get("/settings", adminCookie)).text();
    expect(snippets(after)).toBe(snippets(before) + 1);
    expect(after).toContain(`data-inbox=&quot;${created.publicKey}&quot;`);
    expect(after).toContain(`href="/settings/inboxes/${id}"`);
    expect((await widgetSession({ inbox: created.publicKey })).status).toBe(200);
  });

  test("HTML in the inbox name, greeting, FAQ and a refused origin line is escaped", async () => {
    const inbox = await newInbox();
    const evil = '<script>alert("x")</script>';
    const img = "<img src=x onerror=alert(1)>";
    expect((await post(`/settings/inboxes/${inbox.id}`, settingsForm({ name: evil, greeting: img }, [[img, evil]]), adminCookie)).status).toBe(303);
    // Attribute values are quoted with their quotes escaped (a < inside one is harmless); the
    // rest of the page must not contain the markup.
    const outsideAttributes = (html: string) => html.replace(/="[^"]*"/g, '=""');
    for (const path of ["/settings", `/settings/inboxes/${inbox.id}`]) {
      const html = outsideAttributes(await (await get(path, adminCookie)).text());
      expect(html).not.toContain(evil);
      expect(html).not.toContain(img);
      expect(html).toContain("&lt;script&gt;");
    }
    const refused = await post(`/settings/inboxes/${inbox.id}`, settingsForm({ allowedOrigins: evil, name: img }), adminCookie);
    expect(refused.status).toBe(422);
    const html = outsideAttributes(await refused.text());
    expect(html).not.toContain(evil);
    expect(html).not.toContain(img);
    const created = await post("/settings/inboxes", [["name", "x".repeat(101) + evil]], adminCookie);
    expect(created.status).toBe(422);
    expect(outsideAttributes(await created.text())).not.toContain(evil);
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
    });
    const roundTrip = valuesFromInbox({ ...parsed.value, id: "x", publicKey: "pk", identitySecret: "s", createdAt: new Date() });
    expect(roundTrip).toEqual(values);
    expect(parseInboxSettings({ ...values, handoffMode: "sometimes", position: "top" })).toMatchObject({ ok: false, errors: { fields: { handoffMode: expect.any(String), position: expect.any(String) } } });
  });
});
