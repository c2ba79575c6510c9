// The inbox list refreshes itself: the list element says how (its tab in the hx-get, its search
// and extent in the state it includes), and each answer brings the tab counts, the title and the
// new state out of band, with the rows rendered for the agent who asked.
import { beforeAll, describe, expect, test } from "bun:test";
import { contacts, conversations } from "../db/schema/index.ts";
import { type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { inboxListFixture } from "./inbox-list-fixture.ts";

/** The opening tag of the element with this id. */
const tagOf = (html: string, id: string) => new RegExp(`<[a-z]+[^>]* id="${id}"[^>]*>`).exec(html)?.[0] ?? "";
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]?.replaceAll("&amp;", "&");
/** The hidden fields of the list's state, as the list's refresh sends them. */
const stateOf = (html: string) => {
  const start = html.indexOf('id="conv-list-state"');
  const block = html.slice(start, html.indexOf("</div>", start));
  return { q: /name="q" value="([^"]*)"/.exec(block)?.[1], until: /name="until" value="([^"]*)"/.exec(block)?.[1] };
};

describe(`the inbox list refreshes itself (${storageMode})`, () => {
  const fixture = inboxListFixture();
  const { conversation, get, ids } = fixture;
  let t: TestApp;
  let anaId: string;
  let inboxId: string;
  beforeAll(() => void ({ t, anaId, inboxId } = fixture.state));

  test("the list asks for its own tab on list-stale, at most once a second, with its search and the open conversation", async () => {
    const page = await (await get("/inbox?tab=queue&q=parcel")).text();
    const list = tagOf(page, "conv-list");
    expect(attr(list, "data-list")).toBe("inbox");
    expect(attr(list, "hx-get")).toBe("/inbox/list?tab=queue");
    expect(attr(list, "hx-trigger")).toBe("list-stale throttle:1s");
    expect(attr(list, "hx-swap")).toBe("innerHTML");
    expect(attr(list, "hx-include")).toBe("#conv-list-state, #conv-list-selected");
    expect(stateOf(page)).toEqual({ q: "parcel", until: "" });
    expect(tagOf(page, "conv-list-selected")).toContain('name="selected"');

    // Opened on a conversation, the list loads itself at once as well, and marks that conversation.
    const id = await conversation({ name: "Opened" });
    const direct = await (await get(`/inbox/c/${id}`)).text();
    expect(attr(tagOf(direct, "conv-list"), "hx-trigger")).toBe("load, list-stale throttle:1s");
    expect(attr(tagOf(direct, "conv-list-selected"), "value")).toBe(id);
  });

  test("an answer brings the tab bar with its counts, the title and the list's state out of band; rows are for the asker", async () => {
    const mine = await conversation({ status: "assigned", assigneeId: anaId, name: "Mia", messages: [["customer", "hi"], ["agent", "on it", anaId]] });
    const other = await conversation({ status: "assigned", assigneeId: anaId, name: "Max" });
    const html = await (await get(`/inbox/list?tab=mine&q=&selected=${mine}`)).text();
    const tabs = tagOf(html, "inbox-tabs");
    expect(attr(tabs, "hx-swap-oob")).toBe("true");
    expect(html).toMatch(/Mine<\/span><span class="tab-count">\d+<\/span>/);
    expect(html).toMatch(/<title>(\(\d+\) )?Inbox · SupportDesk<\/title>/);
    expect(attr(tagOf(html, "conv-list-state"), "hx-swap-oob")).toBe("true");
    expect(stateOf(html)).toEqual({ q: "", until: "" });
    const rowOf = (id: string) => html.slice(html.indexOf(`id="conv-row-${id}"`), html.indexOf("</li>", html.indexOf(`id="conv-row-${id}"`)));
    expect(rowOf(mine)).toContain("You: ");
    expect(rowOf(mine)).toContain('aria-current="true"');
    expect(rowOf(other)).not.toContain("aria-current");

    // A search is what the state says the list shows, so that its refresh asks for the same.
    const searched = await (await get("/inbox/list?tab=mine&q=Max")).text();
    expect(ids(searched)).toEqual([other]);
    expect(stateOf(searched)).toEqual({ q: "Max", until: "" });
  });

  test("a refresh keeps the pages loaded with Load more: it reaches down to the last row shown, at most 100", async () => {
    const db = t.database.db;
    // A tab of its own: the closed ones of this test, 30 of them, newest first.
    const closed: string[] = [];
    for (let i = 0; i < 30; i++) closed.push(await conversation({ status: "closed", name: `Closed ${i}` }));
    const first = await (await get("/inbox/list?tab=closed")).text();
    expect(ids(first).slice(0, 25)).toEqual(closed.toReversed().slice(0, 25));
    const more = attr(/<li class="load-more">[\s\S]*?<a [^>]*>/.exec(first)![0], "hx-get")!;
    const second = await (await get(more)).text();
    const until = stateOf(second).until!;
    expect(until).not.toBe("");

    // A new closed conversation: the refresh shows it and every row loaded before, and no Load more is lost.
    const newest = await conversation({ status: "closed", name: "Newest" });
    const refreshed = await (await get(`/inbox/list?tab=closed&q=&until=${until}`)).text();
    const shown = ids(refreshed);
    expect(shown[0]).toBe(newest);
    expect(shown).toEqual(expect.arrayContaining(closed));
    expect(shown.indexOf(closed[0]!)).toBe(shown.length - 1);
    expect(stateOf(refreshed).until).toBe(until);
    // A row below the last one shown (older, closed meanwhile) waits behind Load more.
    const [contact] = await db.insert(contacts).values({ inboxId, name: "Old one" }).returning();
    await db.insert(conversations).values({ inboxId, contactId: contact!.id, status: "closed", lastActivityAt: new Date(Date.UTC(2025, 0, 1)) });
    const withOlder = await (await get(`/inbox/list?tab=closed&q=&until=${until}`)).text();
    expect(ids(withOlder)).toEqual(shown);
    expect(withOlder).toContain("Load more");

    // However far the agent went, a refresh returns at most 100 rows, and Load more after them.
    await db.insert(conversations).values(
      (await db.insert(contacts).values(Array.from({ length: 110 }, (_, i) => ({ inboxId, name: `Bulk ${i}` }))).returning()).map((c) => ({
        inboxId,
        contactId: c.id,
        status: "closed" as const,
        lastActivityAt: new Date(Date.UTC(2030, 0, 1)),
      })),
    );
    const capped = await (await get(`/inbox/list?tab=closed&q=&until=${until}`)).text();
    expect(ids(capped)).toHaveLength(100);
    expect(capped).toContain("Load more");
    expect((await get("/inbox/list?tab=closed&until=garbage")).status).toBe(400);
  });
});
