// The tickets list: its default, sorts and filters across pages, its rows, htmx, and filters it
// cannot use. The text search: list-search.test.ts.
import { beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { refreshSize, SHOWN_CAP } from "./filters.ts";
import { byWords, HTMX, ORDER, seventyTickets, STATUSES, type Seeded } from "./list-fixture.ts";

describe(`the ticket list (${storageMode})`, () => {
  const fixture = seventyTickets();
  const { expected, get, ids, moreLink, wholeList } = fixture;
  let t: TestApp;
  let anaId: string;
  let benId: string;
  let all: Seeded[];
  beforeAll(() => void ({ t, anaId, benId, all } = fixture.state));

  test("by default: every ticket that is not closed, last update first, 25 a page; Load more brings the rest without gaps or duplicates", async () => {
    const list = await wholeList("");
    const want = expected((x) => x.status !== "closed");
    expect(want.length).toBeGreaterThan(50);
    expect(list.ids).toEqual(want);
    expect(list.pages).toBe(3);
    expect(new Set(list.ids).size).toBe(list.ids.length);
    expect(list.first).toContain(`${want.length} tickets`);
    expect(list.first).toContain('<th scope="col">Ticket</th>');
    expect(list.first).toContain('hx-ws:connect="/ws/inbox"');
    expect(list.first).toContain('aria-live="polite"');
    expect(list.first).toMatch(/<a href="\/tickets" aria-current="page">Tickets<\/a>/);
  });

  test("each sort, across pages", async () => {
    expect((await wholeList("?sort=created")).ids).toEqual(expected((x) => x.status !== "closed", "created"));
    const byPriority = await wholeList("?sort=priority");
    expect(byPriority.ids).toEqual(expected((x) => x.status !== "closed", "priority"));
    expect(all.find((x) => x.id === byPriority.ids[0])!.priority).toBe("urgent");
    expect((await wholeList("?sort=updated&status=any")).ids).toEqual(expected(() => true));
  });

  test("each filter: status, priority, assignee (me, unassigned, an agent), and combinations", async () => {
    for (const status of STATUSES) {
      expect((await wholeList(`?status=${status}`)).ids).toEqual(expected((x) => x.status === status));
    }
    expect((await wholeList("?status=any&priority=urgent")).ids).toEqual(expected((x) => x.priority === "urgent"));
    expect((await wholeList("?assignee=me")).ids).toEqual(expected((x) => x.status !== "closed" && x.assigneeId === anaId));
    expect((await wholeList("?assignee=none&status=any")).ids).toEqual(expected((x) => x.assigneeId === null));
    expect((await wholeList(`?assignee=${benId}&priority=high&sort=created`)).ids).toEqual(
      expected((x) => x.status !== "closed" && x.assigneeId === benId && x.priority === "high", "created"),
    );
    // Ana's "me" is not Ben's.
    const bensCookie = (await t.post("/login", { email: "ben@example.com", password: "12345678" })).headers.getSetCookie()[0]!.split(";")[0]!;
    const bens = ids(await (await t.request("/tickets?assignee=me&status=any", { headers: { cookie: bensCookie } })).text());
    expect(bens).toEqual(expected((x) => x.assigneeId === benId).slice(0, 25));
  });

  test("rows show number, subject, status, priority, assignee, customer (escaped) and the update time", async () => {
    const html = await (await get("/tickets?status=any&sort=created")).text();
    const first = all.filter(() => true).sort(ORDER.created)[0]!;
    const row = html.slice(html.indexOf(`id="ticket-row-${first.id}"`), html.indexOf("</tr>", html.indexOf(`id="ticket-row-${first.id}"`)));
    expect(row).toContain(`href="/tickets/${first.number}"`);
    expect(row).toContain(`>#${first.number}<`);
    expect(row).toContain(`>${first.title}<`);
    expect(row).toContain(`data-status="${first.status}"`);
    expect(row).toContain(`data-priority="${first.priority}"`);
    expect(row).toContain("Zoë &lt;Customer&gt;");
    expect(row).toContain("zoe@example.com");
    expect(row).toMatch(/<time datetime="[^"]+" data-relative>/);
    expect(row).toContain(">Ana<");
  });

  test("htmx gets the results alone (the URL is the filters); the filters form works without it", async () => {
    const res = await get("/tickets?status=pending&priority=low", HTMX);
    const html = await res.text();
    expect(html).not.toContain("<html");
    expect(html).toStartWith('<div id="ticket-results"');
    // The results refresh themselves with the same filters (the browser holds none of its own).
    expect(html).toContain('data-list="tickets" hx-get="/tickets?status=pending&priority=low"');
    expect(res.headers.get("vary")).toContain("HX-Request");
    const page = await (await get("/tickets?status=pending&priority=low")).text();
    expect(page).toContain('<form class="ticket-filters" role="search"');
    expect(page).toContain('method="get" action="/tickets"');
    expect(page).toContain('hx-push-url="true"');
    expect(page).toMatch(/<option value="pending" selected>Pending<\/option>/);
    expect(page).toMatch(/<option value="low" selected>Low<\/option>/);
    for (const id of ["tickets-q", "tickets-status", "tickets-priority", "tickets-assignee", "tickets-sort"]) {
      expect(page).toContain(`<label for="${id}">`);
    }
    // Without JavaScript "Load more" is a link to the next page.
    const full = await (await get("/tickets")).text();
    const next = full.match(/<tr class="load-more"><td colspan="6"><a href="([^"]+)"/)?.[1]?.replaceAll("&amp;", "&");
    expect(next).toStartWith("/tickets?cursor=");
    const second = await (await get(next!)).text();
    expect(second).toContain("Back to the first page");
    expect(ids(second)).toEqual(expected((x) => x.status !== "closed").slice(25, 50));
  });

  test("a list refreshing itself gets as many rows as it shows, by the server's rules: its filters, sort and search", async () => {
    const want = expected((x) => x.status !== "closed");
    const refresh = async (query: string) => (await get(`/tickets${query}`, HTMX)).text();
    // After one "Load more" the page shows 50 rows: the refresh keeps them, and Load more goes on after them.
    const fifty = await refresh("?shown=50");
    expect(ids(fifty)).toEqual(want.slice(0, 50));
    expect(fifty).toContain('<input type="hidden" id="ticket-shown" name="shown" value="50"/>');
    const more = moreLink(fifty)!;
    expect(more).toContain("shown=50");
    const rest = await (await get(more, HTMX)).text();
    expect(ids(rest)).toEqual(want.slice(50));
    expect(rest).toContain(`name="shown" value="${want.length}"`);
    // At least a page, at most SHOWN_CAP; a count that is not one is a page.
    expect(ids(await refresh("?shown=3"))).toEqual(want.slice(0, 25));
    expect(ids(await refresh("?shown=abc"))).toEqual(want.slice(0, 25));
    expect(refreshSize("999999", 25)).toBe(SHOWN_CAP);
    expect(ids(await refresh(`?status=any&priority=urgent&sort=priority&shown=40`))).toEqual(expected((x) => x.priority === "urgent", "priority"));
    // The search is by words, as everywhere (the browser used to match a piece of text instead):
    // words in another order find the subject, a piece inside a word finds nothing.
    expect(ids(await refresh("?status=any&q=request%20refund"))).toEqual(expected(byWords("request refund")));
    expect(expected(byWords("request refund"))).toHaveLength(2);
    expect(ids(await refresh("?status=any&q=fund"))).toEqual([]);
  });

  test("filters it cannot use are said, not a 500; a cursor that is not ours is refused", async () => {
    const bad = await get("/tickets?status=archived&priority=critical");
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("There is no status “archived”.");
    expect(html).toContain("There is no priority “critical”.");
    expect((await get("/tickets?assignee=someone")).status).toBe(400);
    expect((await get("/tickets?sort=random")).status).toBe(400);
    expect((await get(`/tickets?q=${"x".repeat(101)}`)).status).toBe(400);
    const forged = await get("/tickets/more?cursor=bm9wZQ", HTMX);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain("does not exist");
    // A cursor of another sort is not this list's either.
    const full = await (await get("/tickets")).text();
    const cursor = moreLink(full)!.split("cursor=")[1]!;
    expect((await get(`/tickets/more?sort=created&cursor=${cursor}`, HTMX)).status).toBe(400);
    expect(t.logs.filter((line) => line.includes("request failed"))).toEqual([]);
  });
});
