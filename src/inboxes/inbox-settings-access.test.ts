// Who may change an inbox's settings (admins; agents get 403, signed-out visitors the sign-in
// page, other sites nothing), the identity secret, new inboxes, and escaping on these pages.
import { beforeAll, describe, expect, test } from "bun:test";
import { inboxes } from "../db/schema/index.ts";
import type { TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { identityHash } from "../widget/identity.ts";
import { settingsForm, settingsTestApp } from "./settings-fixture.ts";

describe(`inbox settings: who may change what (${storageMode})`, () => {
  const app = settingsTestApp();
  const { db, post, get, newInbox, reload, widgetSession } = app;
  let t: TestApp;
  let adminCookie: string;
  let agentCookie: string;
  beforeAll(() => void ({ t, adminCookie, agentCookie } = app.state));

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
