// Saved replies over HTTP, as the browser uses them: the settings page (list, search, add, edit,
// delete, refusals with what was typed) and the composer's list, with every name and text escaped.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { contacts, savedReplies } from "../db/schema/index.ts";
import { insertConversation, signedInTeam, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

const XSS_NAME = "<img src=x onerror=alert(1)>";
/** Markup, a quote that would end an attribute, and an entity that must stay as typed. */
const XSS_BODY = `<script>alert('x')</script> "q" &amp; Hi {{contact.name}}`;

describe(`saved replies: routes (${storageMode})`, () => {
  let t: TestApp;
  let ana: TeamMember, ben: TeamMember;
  const page = async (path: string, cookie: string, headers: Record<string, string> = {}) => {
    const res = await t.request(path, { headers: { cookie, ...headers } });
    return { status: res.status, html: await res.text() };
  };
  const idOf = async (shortcut: string) => (await t.database.db.select().from(savedReplies).where(eq(savedReplies.shortcut, shortcut)))[0]?.id;

  beforeAll(async () => {
    t = await createTestApp();
    ({ ana, ben } = await signedInTeam(t));
  });
  afterAll(() => t.close());

  test("an agent adds a reply: redirected with a notice, listed as theirs with Edit and Delete; the settings nav links the page", async () => {
    const res = await t.post("/settings/replies", { name: "Thanks", shortcut: "/thx", body: "Thanks {{contact.name}}!" }, { cookie: ben.cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/settings/replies?done=added");
    const { html } = await page("/settings/replies?done=added", ben.cookie);
    expect(html).toContain("The saved reply was added.");
    expect(html).toContain('href="/settings/replies" aria-current="page"');
    expect(html).toContain("<code>/thx</code>");
    const id = await idOf("thx");
    expect(html).toContain(`href="/settings/replies/${id}"`);
    expect(html).toContain(`action="/settings/replies/${id}/delete"`);
    // Agents choose no scope: a personal reply is all they can make.
    expect(html).not.toContain('name="scope"');
    expect((await page("/settings/profile", ben.cookie)).html).toContain('href="/settings/replies"');
  });

  test("a refused form comes back (422) with what was typed and each error tied to its field", async () => {
    const res = await t.post("/settings/replies", { name: "Typed name", shortcut: "two words", body: "Order {{order.id}}" }, { cookie: ben.cookie });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('value="Typed name"');
    expect(html).toContain('value="two words"');
    expect(html).toContain("Order {{order.id}}</textarea>");
    expect(html).toContain("Use only letters, digits, - and _ (no spaces).");
    expect(html).toMatch(/id="new-reply-shortcut"[^>]*aria-invalid="true"[^>]*aria-describedby="new-reply-shortcut-error new-reply-shortcut-hint"/);
    expect(html).toContain("{{order.id}} is not a variable");
    // A shortcut taken, in another case.
    const taken = await t.post("/settings/replies", { name: "Again", shortcut: "THX", body: "Again" }, { cookie: ben.cookie });
    expect(taken.status).toBe(422);
    expect(await taken.text()).toContain("You already have a reply with the shortcut /THX.");
  });

  test("team replies: admins add, edit and delete them; an agent sees them read-only and is refused every write (403)", async () => {
    const added = await t.post("/settings/replies", { name: "Welcome", shortcut: "welcome", body: "Welcome!", scope: "team" }, { cookie: ana.cookie });
    expect(added.status).toBe(303);
    const id = (await idOf("welcome"))!;
    const admin = (await page("/settings/replies", ana.cookie)).html;
    expect(admin).toContain('name="scope"');
    expect(admin).toContain(`href="/settings/replies/${id}"`);

    const agent = (await page("/settings/replies", ben.cookie)).html;
    expect(agent).toContain("<code>/welcome</code>");
    expect(agent).not.toContain(`href="/settings/replies/${id}"`);
    expect(agent).toContain("Every agent can use these; admins manage them.");
    const byBen = await t.post("/settings/replies", { name: "Mine now", shortcut: "team-ben", body: "x", scope: "team" }, { cookie: ben.cookie });
    expect(byBen.status).toBe(403);
    expect(await idOf("team-ben")).toBeUndefined();
    expect((await page(`/settings/replies/${id}`, ben.cookie)).status).toBe(403);
    expect((await t.post(`/settings/replies/${id}`, { name: "Hijacked", shortcut: "welcome", body: "x" }, { cookie: ben.cookie })).status).toBe(403);
    expect((await t.post(`/settings/replies/${id}/delete`, {}, { cookie: ben.cookie })).status).toBe(403);

    const edit = await page(`/settings/replies/${id}`, ana.cookie);
    expect(edit.html).toContain('value="Welcome"');
    const refused = await t.post(`/settings/replies/${id}`, { name: "", shortcut: "welcome", body: "Changed" }, { cookie: ana.cookie });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("Changed</textarea>");
    const saved = await t.post(`/settings/replies/${id}`, { name: "Welcome", shortcut: "hello", body: "Hello!" }, { cookie: ana.cookie });
    expect(saved.headers.get("location")).toBe("/settings/replies?done=saved");
    expect((await t.post(`/settings/replies/${id}/delete`, {}, { cookie: ana.cookie })).headers.get("location")).toBe("/settings/replies?done=deleted");
    expect(await idOf("hello")).toBeUndefined();
  });

  test("a colleague's personal reply does not exist for anyone else (404), admins included", async () => {
    const id = (await idOf("thx"))!;
    expect((await page(`/settings/replies/${id}`, ana.cookie)).status).toBe(404);
    expect((await t.post(`/settings/replies/${id}`, { name: "x", shortcut: "x", body: "x" }, { cookie: ana.cookie })).status).toBe(404);
    expect((await t.post(`/settings/replies/${id}/delete`, {}, { cookie: ana.cookie })).status).toBe(404);
    expect((await page("/settings/replies?q=thx", ana.cookie)).html).not.toContain("/thx</code>");
    expect(await idOf("thx")).toBe(id);
  });

  test("the search: htmx gets the results alone, a load the page with the search in its field", async () => {
    await t.post("/settings/replies", { name: "Delivery", shortcut: "ship", body: "Parcels take 3 days." }, { cookie: ben.cookie });
    const fragment = await page("/settings/replies?q=PARCELS", ben.cookie, { "hx-request": "true" });
    expect(fragment.html.startsWith('<div id="saved-reply-results"')).toBe(true);
    expect(fragment.html).toContain("<span>1 reply matches</span> <q>PARCELS</q>.");
    expect(fragment.html).toContain("<code>/ship</code>");
    expect(fragment.html).not.toContain("/thx</code>");
    const full = await page("/settings/replies?q=PARCELS", ben.cookie);
    expect(full.html).toContain('value="PARCELS"');
    expect(full.html).toContain("<!doctype html>");
  });

  test("names and texts with markup are escaped on the page and in the composer's options", async () => {
    const res = await t.post("/settings/replies", { name: XSS_NAME, shortcut: "xss", body: XSS_BODY }, { cookie: ben.cookie });
    expect(res.status).toBe(303);
    const { html } = await page("/settings/replies", ben.cookie);
    expect(html).not.toContain(XSS_NAME);
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    const edit = (await page(`/settings/replies/${await idOf("xss")}`, ben.cookie)).html;
    expect(edit).toContain('value="&lt;img src=x onerror=alert(1)&gt;"');
    expect(edit).toContain("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &quot;q&quot; &amp;amp; Hi");

    const { conversation, contact } = await insertConversation(t.database.db);
    await t.database.db.update(contacts).set({ name: "<b>Kim</b>" }).where(eq(contacts.id, contact.id));
    const options = await page(`/inbox/c/${conversation.id}/saved-replies?q=xss`, ben.cookie);
    expect(options.html).not.toContain("<script>");
    expect(options.html).not.toContain("<b>Kim");
    expect(options.html).not.toContain(XSS_NAME);
    expect(options.html).toContain('data-text="&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &quot;q&quot; &amp;amp; Hi &lt;b&gt;Kim&lt;/b&gt;"');
    const none = await page(`/inbox/c/${conversation.id}/saved-replies?q=${encodeURIComponent("<i>nothing")}`, ben.cookie);
    expect(none.html).toContain("No saved reply matches <q>&lt;i&gt;nothing</q>.");
    expect(none.html).toContain('aria-disabled="true"');
  });

  test("the composer's list: options for the conversation, filled in, best first; the reply field controls it; an unknown conversation is 404", async () => {
    const { conversation, contact } = await insertConversation(t.database.db);
    await t.database.db.update(contacts).set({ name: "Kim Lee" }).where(eq(contacts.id, contact.id));
    const { status, html } = await page(`/inbox/c/${conversation.id}/saved-replies?q=th`, ben.cookie);
    expect(status).toBe(200);
    expect(html.indexOf("/thx")).toBeGreaterThan(-1);
    expect(html).toContain('role="option"');
    expect(html).toContain('data-text="Thanks Kim Lee!"');
    expect(html).toContain(`id="saved-replies-${conversation.id}-`);
    // Ana sees the team's, never Ben's.
    expect((await page(`/inbox/c/${conversation.id}/saved-replies?q=thx`, ana.cookie)).html).not.toContain("Thanks Kim Lee!");
    expect((await page(`/inbox/c/${crypto.randomUUID()}/saved-replies?q=th`, ben.cookie)).status).toBe(404);
    expect((await page(`/inbox/c/not-a-uuid/saved-replies`, ben.cookie)).status).toBe(404);

    const pane = (await page(`/inbox/c/${conversation.id}`, ben.cookie)).html;
    expect(pane).toMatch(new RegExp(`<textarea[^>]*aria-controls="saved-replies-${conversation.id}"[^>]*aria-autocomplete="list"`));
    expect(pane).toContain(`role="listbox" id="saved-replies-${conversation.id}"`);
    expect(pane).toContain('aria-label="Saved replies"');
    expect(pane).toContain("/public/saved-replies.js");
  });
});
