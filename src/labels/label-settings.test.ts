// Settings, Labels (/settings/labels): every agent sees the labels; only admins create, rename,
// recolour and delete them; a refused form comes back with what was typed and why.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversationLabels, labels } from "../db/schema/index.ts";
import { insertConversation, signedInTeam, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

describe(`Settings, Labels (${storageMode})`, () => {
  let t: TestApp, ana: TeamMember, ben: TeamMember;
  const get = (path: string, cookie: string) => t.request(path, { headers: { cookie } });
  const post = (path: string, form: Record<string, string>, cookie: string) => t.post(path, form, { cookie });
  const all = () => t.database.db.select().from(labels).orderBy(labels.name);
  const idOf = async (name: string) => (await t.database.db.select().from(labels).where(eq(labels.name, name)))[0]!.id;

  beforeAll(async () => {
    t = await createTestApp();
    ({ ana, ben } = await signedInTeam(t));
  });
  afterAll(() => t.close());

  test("an admin creates labels; the page lists them by name, with their colour and use", async () => {
    const created = await post("/settings/labels", { name: " Billing ", color: "#FDE047" }, ana.cookie);
    expect(created.status).toBe(303);
    expect(created.headers.get("location")).toBe("/settings/labels?done=created");
    expect((await post("/settings/labels", { name: "Bug", color: "#b42318" }, ana.cookie)).status).toBe(303);
    expect((await all()).map((l) => [l.name, l.color])).toEqual([["Billing", "#fde047"], ["Bug", "#b42318"]]);

    const html = await (await get("/settings/labels?done=created", ana.cookie)).text();
    expect(html).toContain("Label created. Agents can put it on conversations now.");
    expect(html).toContain('href="/settings/labels" aria-current="page"');
    expect(html.indexOf(">Billing<")).toBeLessThan(html.indexOf(">Bug<"));
    // Text on the chip in the colour that reads: black on yellow, white on dark red.
    expect(html).toMatch(/class="label-chip label-text-dark"[^>]*>.*?fill="#fde047".*?>Billing</s);
    expect(html).toMatch(/class="label-chip label-text-light"[^>]*>.*?fill="#b42318".*?>Bug</s);
    expect(html).toContain("on 0 conversations");
    expect(html).toContain('action="/settings/labels"');
  });

  test("an agent sees the labels read-only, and every change of theirs is refused (403) and changes nothing", async () => {
    const billing = await idOf("Billing");
    const html = await (await get("/settings/labels", ben.cookie)).text();
    expect(html).toContain(">Billing<");
    expect(html).toContain("Only admins can add or change labels.");
    expect(html).not.toContain("<form method=\"post\" action=\"/settings/labels");
    expect(html).toContain('href="/settings/labels"');
    const before = await all();
    expect((await post("/settings/labels", { name: "Mine", color: "#000000" }, ben.cookie)).status).toBe(403);
    expect((await post(`/settings/labels/${billing}`, { name: "Renamed", color: "#000000" }, ben.cookie)).status).toBe(403);
    expect((await post(`/settings/labels/${billing}/delete`, {}, ben.cookie)).status).toBe(403);
    expect(await all()).toEqual(before);
  });

  test("a refused form comes back (422) with what was typed and why; names are unique whatever their case", async () => {
    const empty = await post("/settings/labels", { name: "  ", color: "#123456" }, ana.cookie);
    expect(empty.status).toBe(422);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toContain("Enter a name for the label, like Billing or Bug.");
    expect(emptyHtml).toContain('value="#123456"');
    expect(emptyHtml).toContain('aria-invalid="true"');

    const twin = await post("/settings/labels", { name: "BILLING", color: "#00ff00" }, ana.cookie);
    expect(twin.status).toBe(422);
    const twinHtml = await twin.text();
    expect(twinHtml).toContain("A label named “BILLING” exists already");
    expect(twinHtml).toContain('value="BILLING"');
    expect(twinHtml).toContain('value="#00ff00"');

    const red = await post("/settings/labels", { name: "Red", color: "red" }, ana.cookie);
    expect(red.status).toBe(422);
    expect(await red.text()).toContain("“red” is not a colour");
    expect((await all()).map((l) => l.name)).toEqual(["Billing", "Bug"]);
  });

  test("an admin renames and recolours a label; a rename onto another's name is refused at that label's form", async () => {
    const bug = await idOf("Bug");
    const saved = await post(`/settings/labels/${bug}`, { name: "Bugs", color: "#1E3A8A" }, ana.cookie);
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/settings/labels?done=saved");
    expect((await all()).find((l) => l.id === bug)).toMatchObject({ name: "Bugs", color: "#1e3a8a" });

    const clash = await post(`/settings/labels/${bug}`, { name: "billing", color: "#1e3a8a" }, ana.cookie);
    expect(clash.status).toBe(422);
    const html = await clash.text();
    expect(html).toContain("A label named “billing” exists already");
    // At that label's own form: its field is the one marked invalid, holding what was typed.
    expect(html).toMatch(new RegExp(`id="label-name-${bug}"[^>]*value="billing"[^>]*aria-invalid="true"`));
    expect((await all()).find((l) => l.id === bug)?.name).toBe("Bugs");

    expect((await post(`/settings/labels/${crypto.randomUUID()}`, { name: "Ghost", color: "#000000" }, ana.cookie)).status).toBe(404);
    expect((await post("/settings/labels/not-an-id", { name: "Ghost", color: "#000000" }, ana.cookie)).status).toBe(404);
  });

  test("deleting a label takes it off every conversation; a label already gone is 404", async () => {
    const id = await idOf("Billing");
    const { conversation } = await insertConversation(t.database.db);
    await t.database.db.insert(conversationLabels).values({ conversationId: conversation.id, labelId: id });
    expect(await (await get("/settings/labels", ana.cookie)).text()).toContain("on 1 conversation<");

    const deleted = await post(`/settings/labels/${id}/delete`, {}, ana.cookie);
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get("location")).toBe("/settings/labels?done=deleted");
    expect((await all()).map((l) => l.name)).toEqual(["Bugs"]);
    expect(await t.database.db.select().from(conversationLabels).where(eq(conversationLabels.conversationId, conversation.id))).toEqual([]);
    expect((await post(`/settings/labels/${id}/delete`, {}, ana.cookie)).status).toBe(404);
  });

  test("a post from another site is refused and changes nothing", async () => {
    const before = await all();
    const res = await t.post("/settings/labels", { name: "Evil", color: "#000000" }, { cookie: ana.cookie, origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(res.status).toBe(403);
    expect(await all()).toEqual(before);
  });

  test("a label's name is text wherever Settings shows it", async () => {
    expect((await post("/settings/labels", { name: `<img src=x onerror="alert(1)">`, color: "#000000" }, ana.cookie)).status).toBe(303);
    for (const cookie of [ana.cookie, ben.cookie]) {
      const html = await (await get("/settings/labels", cookie)).text();
      // As text in the page; in a quoted attribute (the field's value) only its quotes need escaping.
      expect(html.replace(/value="<img src=x onerror=&#34;alert\(1\)&#34;>"/g, "")).not.toContain("<img");
      expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    }
  });
});
