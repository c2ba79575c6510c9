// The inbox list filtered by label: in the URL like the tab (/inbox?tab=open&label=…), done by the
// server, kept by the list's refresh, its pages, its search and the tabs; the tab counts stay the
// tabs' own, whatever the label.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversationLabels, labels } from "../db/schema/index.ts";
import { inboxListFixture } from "../conversations/inbox-list-fixture.ts";
import type { TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

describe(`the inbox list by label (${storageMode})`, () => {
  const fixture = inboxListFixture();
  const { conversation, get, ids } = fixture;
  let t: TestApp;
  let billing: string, bug: string, labelled: string[], other: string, closed: string;
  const put = (conversationId: string, labelId: string) => t.database.db.insert(conversationLabels).values({ conversationId, labelId });
  const openCount = (html: string) => html.match(/All open<\/span><span class="tab-count">(\d+)</)?.[1];

  beforeAll(async () => {
    ({ t } = fixture.state);
    const rows = await t.database.db.insert(labels).values([{ name: "Billing <b>", color: "#fde047" }, { name: "Bug", color: "#b42318" }]).returning();
    [billing, bug] = [rows[0]!.id, rows[1]!.id];
    other = await conversation({ name: "Other" });
    labelled = [];
    for (let i = 0; i < 27; i++) labelled.push(await conversation({ name: `Billing ${i}` }));
    closed = await conversation({ name: "Closed billing", status: "closed" });
    for (const id of [...labelled, closed]) await put(id, billing);
    await put(other, bug);
  });

  test("?label= shows only the conversations carrying it, newest first, a page at a time; the counts are the tabs'", async () => {
    const all = await (await get("/inbox?tab=open")).text();
    const page = await (await get(`/inbox?tab=open&label=${billing}`)).text();
    expect(ids(page)).toEqual(labelled.slice(-25).reverse());
    expect(openCount(page)).toBe(openCount(all));
    // The next page keeps the label.
    const more = page.match(/hx-get="(\/inbox\/list\?[^"]*cursor=[^"]*)"/)![1]!.replaceAll("&amp;", "&");
    expect(more).toContain(`label=${billing}`);
    expect(ids(await (await get(more)).text())).toEqual(labelled.slice(0, 2).reverse());
    // Closed conversations are in the closed tab, labelled or not.
    expect(ids(await (await get(`/inbox?tab=closed&label=${billing}`)).text())).toEqual([closed]);
    expect(ids(await (await get(`/inbox/list?tab=open&label=${bug}`)).text())).toEqual([other]);
  });

  test("the page offers the labels to filter by, keeps the label in the tabs, the search and the refresh's state", async () => {
    const page = await (await get(`/inbox?tab=open&label=${billing}`)).text();
    expect(page).toContain('<form class="inbox-label-filter" method="get" action="/inbox" hx-get="/inbox"');
    expect(page).toContain('<label for="inbox-label-filter">Label</label>');
    expect(page).toContain(`<option value="${billing}" selected>Billing &lt;b&gt;</option>`);
    expect(page).toContain(`<option value="${bug}">Bug</option>`);
    expect(page).toContain(`href="/inbox?tab=queue&label=${billing}"`);
    expect(page).toMatch(new RegExp(`<form class="inbox-search"[^]*?<input type="hidden" name="label" value="${billing}"/>`));
    expect(page).toMatch(new RegExp(`<div id="conv-list-state" hidden><input type="hidden" name="q" value=""/><input type="hidden" name="label" value="${billing}"/>`));
    // A refresh's answer says the same, out of band.
    const refresh = await (await get(`/inbox/list?tab=open&label=${billing}`)).text();
    expect(refresh).toContain(`<input type="hidden" name="label" value="${billing}"/>`);
    expect(refresh).toContain(`href="/inbox?tab=mine&label=${billing}"`);
    // Without a label, nothing of it.
    const plain = await (await get("/inbox?tab=open")).text();
    expect(plain).toContain('<option value="">All labels</option>');
    expect(plain).not.toContain('name="label" value=');
  });

  test("search and label together; a label nobody carries in a tab says so", async () => {
    expect(ids(await (await get(`/inbox/list?tab=open&label=${billing}&q=Billing 1`)).text())).toEqual(
      labelled.filter((_, i) => String(i).startsWith("1")).reverse(),
    );
    const none = await (await get(`/inbox/list?tab=queue&label=${billing}&q=Other`)).text();
    expect(ids(none)).toEqual([]);
    expect(none).toContain("No conversation in this tab with this label mentions “Other”.");
    const empty = await (await get(`/inbox/list?tab=mine&label=${bug}`)).text();
    expect(empty).toContain("No conversation in this tab has this label.");
  });

  test("a label that is not an id is no filter; a deleted label finds nothing and the filter says it is gone", async () => {
    const everything = ids(await (await get("/inbox?tab=open")).text());
    expect(ids(await (await get("/inbox?tab=open&label=nonsense")).text())).toEqual(everything);
    const [gone] = await t.database.db.insert(labels).values({ name: "Gone", color: "#000000" }).returning();
    await put(other, gone!.id);
    await t.database.db.delete(labels).where(eq(labels.id, gone!.id));
    const page = await (await get(`/inbox?tab=open&label=${gone!.id}`)).text();
    expect(ids(page)).toEqual([]);
    expect(page).toContain(`<option value="${gone!.id}" selected>A deleted label</option>`);
  });
});
