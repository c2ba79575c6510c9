// Agents put labels on a conversation and take them off from its pane (POST /inbox/c/:id/labels,
// one label at a time): idempotent, recorded with who added it, shown in the pane and on its row.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversationLabels, labels } from "../db/schema/index.ts";
import { customerWrites, ticketsTestSetup, type InboxRow } from "../testing/fixtures.ts";
import type { TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

describe(`a conversation's labels (${storageMode})`, () => {
  let t: TestApp, ana: string, ben: string, benId: string, inbox: InboxRow;
  let vip: string, bug: string, conversation: string;
  const htmx = { "hx-request": "true" };
  const toggle = (cookie: string, label: string, on: boolean, id = conversation) =>
    t.post(`/inbox/c/${id}/labels`, on ? { label, on: "true" } : { label }, { cookie, ...htmx });
  const carried = async (id = conversation) =>
    (await t.database.db.select().from(conversationLabels).where(eq(conversationLabels.conversationId, id))).map((r) => ({ labelId: r.labelId, addedBy: r.addedBy }));

  beforeAll(async () => {
    ({ t, ana, ben, benId, inbox } = await ticketsTestSetup({ handoffMode: "immediate" }));
    const rows = await t.database.db
      .insert(labels)
      .values([
        { name: "VIP", color: "#fde047" },
        { name: `Bug <script>alert(1)</script>`, color: "#b42318" },
      ])
      .returning();
    [vip, bug] = [rows[0]!.id, rows[1]!.id];
    conversation = await customerWrites(t, inbox, "my invoice is wrong");
  });
  afterAll(() => t.close());

  test("the pane has a control named Labels with the menu of every label, none ticked yet", async () => {
    const html = await (await t.request(`/inbox/c/${conversation}`, { headers: { cookie: ben, ...htmx } })).text();
    expect(html).toMatch(new RegExp(`<button type="button" class="button labels-button" popovertarget="labels-menu-${conversation}" aria-describedby="conv-labels-${conversation}" data-shortcut="l">Labels</button>`));
    expect(html).toContain(`<ul id="conv-labels-${conversation}" class="label-chips"><li class="label-none">No labels</li></ul>`);
    expect(html).toContain(`id="labels-menu-${conversation}" class="labels-menu" popover="auto"`);
    expect(html).toMatch(new RegExp(`id="conv-label-${conversation}-${vip}" name="on" value="true" hx-post="/inbox/c/${conversation}/labels"`));
    expect(html).not.toMatch(/type="checkbox"[^>]*checked/);
    // Names are text: in the menu as on the chips.
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("Bug &lt;script&gt;alert(1)&lt;/script&gt;");
  });

  test("adding a label records who added it and answers the chips and the menu; adding it again changes nothing", async () => {
    const res = await toggle(ben, vip, true);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<ul id="conv-labels-${conversation}" class="label-chips" hx-swap-oob="true">`);
    expect(html).toMatch(/class="label-chip label-text-dark"[^>]*>.*?>VIP</s);
    expect(html).toContain(`<fieldset id="conv-label-choices-${conversation}" class="label-choices" hx-swap-oob="true">`);
    expect(html).toMatch(new RegExp(`id="conv-label-${conversation}-${vip}"[^>]*checked`));
    expect(await carried()).toEqual([{ labelId: vip, addedBy: benId }]);

    const again = await toggle(ana, vip, true);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(html);
    // Still Ben's: the second add was no change.
    expect(await carried()).toEqual([{ labelId: vip, addedBy: benId }]);
  });

  test("the pane and the list row show the labels, by name, escaped", async () => {
    await toggle(ana, bug, true);
    const pane = await (await t.request(`/inbox/c/${conversation}`, { headers: { cookie: ana, ...htmx } })).text();
    const chips = pane.slice(pane.indexOf(`id="conv-labels-${conversation}"`), pane.indexOf("</ul>", pane.indexOf(`id="conv-labels-${conversation}"`)));
    expect(chips.indexOf("Bug &lt;script&gt;")).toBeLessThan(chips.indexOf(">VIP<"));
    expect(pane).toMatch(new RegExp(`id="conv-label-${conversation}-${bug}"[^>]*checked`));

    const list = await (await t.request("/inbox?tab=open", { headers: { cookie: ana } })).text();
    const row = list.slice(list.indexOf(`id="conv-row-${conversation}"`), list.indexOf("</li>", list.indexOf(`id="conv-row-${conversation}"`)));
    expect(row).toContain('<span class="row-labels"><span class="visually-hidden">Labels: </span>');
    expect(row).toContain(">VIP<");
    expect(row).toContain("Bug &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(list).not.toContain("<script>alert(1)");
  });

  test("removing a label takes it off; removing it again changes nothing", async () => {
    const res = await toggle(ana, bug, false);
    expect(res.status).toBe(200);
    expect(await res.text()).not.toMatch(new RegExp(`id="conv-label-${conversation}-${bug}"[^>]*checked`));
    expect(await carried()).toEqual([{ labelId: vip, addedBy: benId }]);
    expect((await toggle(ana, bug, false)).status).toBe(200);
    expect(await carried()).toEqual([{ labelId: vip, addedBy: benId }]);
  });

  test("an unknown conversation is 404, a label that is not an id 400, a deleted label adds nothing", async () => {
    expect((await toggle(ana, vip, true, crypto.randomUUID())).status).toBe(404);
    expect((await toggle(ana, vip, true, "nope")).status).toBe(404);
    expect((await toggle(ana, "not-a-label", true)).status).toBe(400);
    const gone = crypto.randomUUID();
    const res = await toggle(ana, gone, true);
    expect(res.status).toBe(200);
    expect(await carried()).toEqual([{ labelId: vip, addedBy: benId }]);
  });

  test("signed out, a change is sent to sign in; from another site it is refused", async () => {
    const signedOut = await t.post(`/inbox/c/${conversation}/labels`, { label: bug, on: "true" });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toStartWith("/login");
    const crossSite = await t.post(`/inbox/c/${conversation}/labels`, { label: bug, on: "true" }, { cookie: ana, origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect(await carried()).toEqual([{ labelId: vip, addedBy: benId }]);
  });
});
