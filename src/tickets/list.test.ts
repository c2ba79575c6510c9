import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { contacts, tickets } from "../db/schema/index.ts";
import { ticketsTestSetup } from "../testing/fixtures.ts";
import { countStatements } from "../testing/statements.ts";
import type { TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { TICKET_PRIORITIES, type TicketPriority, type TicketStatus } from "./model.ts";

const HTMX = { "hx-request": "true" };
type Seeded = typeof tickets.$inferSelect;

const rank = (p: TicketPriority) => TICKET_PRIORITIES.indexOf(p);
const desc = (a: number | string, b: number | string) => (a < b ? 1 : a > b ? -1 : 0);
const ORDER = {
  updated: (a: Seeded, b: Seeded) => desc(a.updatedAt.getTime(), b.updatedAt.getTime()) || desc(a.id, b.id),
  created: (a: Seeded, b: Seeded) => desc(a.createdAt.getTime(), b.createdAt.getTime()) || desc(a.id, b.id),
  priority: (a: Seeded, b: Seeded) => desc(rank(a.priority), rank(b.priority)) || desc(a.updatedAt.getTime(), b.updatedAt.getTime()) || desc(a.id, b.id),
};

/** Runs of letters and digits, lower-cased: the words of a plain subject (no address, no version). */
const wordsOf = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
/** What a search by words finds: every word of it starts a word of the subject. */
const byWords = (q: string) => (x: Seeded) => wordsOf(q).every((w) => wordsOf(x.title).some((word) => word.startsWith(w)));

/** Reading the list as a browser does, as `cookie`. */
function listReader(t: TestApp, cookie: string) {
  const get = (path: string, headers: Record<string, string> = {}) => t.request(path, { headers: { cookie, ...headers } });
  const ids = (html: string) => [...html.matchAll(/<tr id="ticket-row-([0-9a-f-]+)"/g)].map((m) => m[1]!);
  const moreLink = (html: string) => html.match(/hx-get="(\/tickets\/more\?[^"]+)"/)?.[1]?.replaceAll("&amp;", "&");

  /** Every row of a list, following "Load more" as htmx does; each request within the statement cap. */
  async function wholeList(query: string): Promise<{ ids: string[]; pages: number; first: string }> {
    const capped = async (path: string, headers: Record<string, string> = {}) => {
      const { result, count } = await countStatements(t.database.db, async () => {
        const res = await get(path, headers);
        expect(res.status).toBe(200);
        return res.text();
      });
      // The session lookup (and its occasional touch), then the page with its count and agents.
      expect(count).toBeLessThanOrEqual(4);
      return result;
    };
    const first = await capped(`/tickets${query}`);
    const found = ids(first);
    let next = moreLink(first);
    let pages = 1;
    while (next) {
      const html = await capped(next, HTMX);
      expect(html).not.toContain("<html");
      found.push(...ids(html));
      next = moreLink(html);
      pages++;
    }
    return { ids: found, pages, first };
  }

  return { get, ids, moreLink, wholeList };
}

describe(`the ticket list (${storageMode})`, () => {
  let t: TestApp;
  let ana: string;
  let anaId: string;
  let benId: string;
  let all: Seeded[] = [];

  const STATUSES: TicketStatus[] = ["open", "pending", "solved", "closed"];
  const BASE = Date.UTC(2026, 0, 1);
  const TITLES: Record<number, string> = {
    3: "100% refund_request",
    4: "100 percent refund request",
    5: "Login fails in version 2.3.1 for zoe@example.com",
    6: "Überweisung fehlgeschlagen",
  };

  beforeAll(async () => {
    const team = await ticketsTestSetup({ publicKey: "pk_tickets_list" });
    ({ t, ana, anaId, benId } = team);
    const db = t.database.db;
    const [contact] = await db.insert(contacts).values({ inboxId: team.inbox.id, name: "Zoë <Customer>", email: "zoe@example.com" }).returning();
    // 70 tickets: every mix of status, priority and assignee; updated_at in runs of five equal
    // times (ties are broken by id), created_at in the other order.
    const values = Array.from({ length: 70 }, (_, i) => ({
      id: Bun.randomUUIDv7(),
      title: TITLES[i] ?? `Ticket subject ${i}`,
      status: STATUSES[i % 4]!,
      priority: TICKET_PRIORITIES[(i * 7) % 4]!,
      assigneeId: i % 3 === 0 ? anaId : i % 3 === 1 ? benId : null,
      contactId: i % 2 === 0 ? contact!.id : null,
      createdAt: new Date(BASE + (70 - i) * 60_000),
      updatedAt: new Date(BASE + 86_400_000 + Math.floor(i / 5) * 60_000),
    }));
    all = await db.insert(tickets).values(values).returning();
  });
  afterAll(() => t.close());

  const expected = (keep: (x: Seeded) => boolean, sort: keyof typeof ORDER = "updated") => all.filter(keep).sort(ORDER[sort]).map((x) => x.id);
  const list = () => listReader(t, ana);
  const get = (path: string, headers: Record<string, string> = {}) => list().get(path, headers);
  const ids = (html: string) => list().ids(html);
  const moreLink = (html: string) => list().moreLink(html);
  const wholeList = (query: string) => list().wholeList(query);

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

  test("text search by words: each word of the search starts a word of the subject, in any case, with the other filters and across pages", async () => {
    const refunds = expected((x) => x.id === all[3]!.id || x.id === all[4]!.id);
    expect(refunds.length).toBe(2);
    for (const q of ["REFUND", "refu", "refu requ", "request refund", "Refund  request!"]) {
      expect((await wholeList(`?q=${encodeURIComponent(q)}&status=any`)).ids).toEqual(refunds);
    }
    // A piece inside a word is not a word: "fund" is not "refund".
    expect((await wholeList("?q=fund&status=any")).ids).toEqual([]);
    const subject4 = await wholeList("?q=subject%204&status=any");
    expect(subject4.ids).toEqual(expected(byWords("subject 4")));
    expect(subject4.ids.length).toBe(10); // "Ticket subject 40" to "... 49" (ticket 4 has another subject)
    expect(subject4.first).toContain("10 tickets");
    // Accented words, in any case.
    expect((await wholeList(`?q=${encodeURIComponent("ÜBERW")}&status=any`)).ids).toEqual([all[6]!.id]);
    expect((await wholeList(`?q=${encodeURIComponent("überweisung fehl")}&status=any`)).ids).toEqual([all[6]!.id]);
    // A version and an address are words of their own, and so are their parts.
    for (const q of ["2.3.1", "version 2.3", "zoe@example.com", "zoe", "login 2"]) {
      expect((await wholeList(`?q=${encodeURIComponent(q)}&status=any`)).ids).toEqual([all[5]!.id]);
    }
    // With the other filters and each sort, across pages.
    const tickets = await wholeList("?q=ticket&status=any&sort=created");
    expect(tickets.ids).toEqual(expected(byWords("ticket"), "created"));
    expect(tickets.ids.length).toBe(66);
    expect(tickets.pages).toBe(3);
    expect(tickets.first).toContain("66 tickets");
    expect((await wholeList("?q=subj&sort=priority")).ids).toEqual(expected((x) => x.status !== "closed" && byWords("subj")(x), "priority"));
    expect((await wholeList(`?q=ticket&assignee=${benId}&priority=high`)).ids).toEqual(
      expected((x) => x.status !== "closed" && x.assigneeId === benId && x.priority === "high" && byWords("ticket")(x)),
    );
  });

  test("text search: a number is also the ticket's; % _ and tsquery syntax are not operators, and a search without words filters nothing", async () => {
    const target = all[42]!;
    expect((await wholeList(`?q=${encodeURIComponent(`#${target.number}`)}&status=any`)).ids).toEqual([target.id]);
    // A bare number: that ticket, or a subject with a word that starts with it.
    const bare = await wholeList(`?q=${target.number}&status=any`);
    expect(bare.ids).toEqual(expected((x) => x.number === target.number || byWords(String(target.number))(x)));
    expect(bare.ids.length).toBeGreaterThan(1);
    expect(bare.ids).toContain(target.id);
    const refunds = expected((x) => x.id === all[3]!.id || x.id === all[4]!.id);
    // % and _ separate words: "100%" is the word 100, and neither is a wildcard (which would find
    // "refund request" in "ref%st" and every "Ticket subject" in "t_cket").
    expect((await wholeList(`?q=${encodeURIComponent("100%")}&status=any`)).ids).toEqual(refunds);
    expect((await wholeList(`?q=${encodeURIComponent("ref%st")}&status=any`)).ids).toEqual([]);
    expect((await wholeList(`?q=${encodeURIComponent("t_cket")}&status=any`)).ids).toEqual([]);
    expect((await wholeList(`?q=${encodeURIComponent("refund_req")}&status=any`)).ids).toEqual(refunds);
    // tsquery's operators are punctuation: "!" does not exclude, "|" does not mean "or".
    for (const q of ["refund & !request", "(refund):*", "'refund'", "refund\\", "<-> refund:*", "refund*"]) {
      expect((await wholeList(`?q=${encodeURIComponent(q)}&status=any`)).ids).toEqual(refunds);
    }
    expect((await wholeList(`?q=${encodeURIComponent("refund | zebra")}&status=any`)).ids).toEqual([]);
    // Nothing to search for: the list as without a search.
    for (const q of ["%", "&|!():*'", "\\", "''", "-- ;"]) {
      expect((await wholeList(`?q=${encodeURIComponent(q)}`)).ids).toEqual(expected((x) => x.status !== "closed"));
    }
    const none = await wholeList("?q=nothing-like-this");
    expect(none.ids).toEqual([]);
    expect(none.first).toContain("No tickets match these filters.");
    expect(t.logs.filter((line) => line.includes("request failed"))).toEqual([]);
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
    expect(html).toContain('data-filter-status="pending"');
    expect(html).toContain('data-filter-priority="low"');
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

describe(`a search by words in a long list (${storageMode})`, () => {
  // The list reads its first 500 tickets in order (WALK in queries.ts) and asks the words' index
  // for the rest: 620 tickets, with words before, across and after that edge. Times come in runs
  // of three equal ones (ties broken by id), one of them across the edge.
  let t: TestApp;
  let ana: string;
  let all: Seeded[] = [];
  const BASE = Date.UTC(2026, 0, 1);
  const ALPHA = new Set([3, 250, 497, 498, 499, 500, 501, 502, 610]);

  beforeAll(async () => {
    ({ t, ana } = await ticketsTestSetup({ publicKey: "pk_tickets_long_list" }));
    const statuses: TicketStatus[] = ["open", "pending", "solved", "closed"];
    const values = Array.from({ length: 620 }, (_, i) => {
      const words = [`Case ${i}`, ALPHA.has(i) ? "alpha" : "", i < 200 && i % 5 === 0 ? "beta" : "", i >= 520 && i % 2 === 0 ? "gamma" : ""];
      return {
        id: Bun.randomUUIDv7(),
        title: words.filter(Boolean).join(" "),
        status: statuses[i % 4]!,
        priority: TICKET_PRIORITIES[(i * 7) % 4]!,
        createdAt: new Date(BASE + ((i * 37) % 620) * 60_000),
        updatedAt: new Date(BASE + 86_400_000 + Math.floor((620 - i) / 3) * 60_000),
      };
    });
    // Stored out of order: an index scan's row order is not the list's.
    const shuffled = values.map((v, i) => ({ v, at: (i * 263) % 620 })).sort((a, b) => a.at - b.at).map((x) => x.v);
    all = await t.database.db.insert(tickets).values(shuffled).returning();
  });
  afterAll(() => t.close());

  const expected = (keep: (x: Seeded) => boolean, sort: keyof typeof ORDER = "updated") => all.filter(keep).sort(ORDER[sort]).map((x) => x.id);
  const wholeList = (query: string) => listReader(t, ana).wholeList(query);

  test("matches before, across and after the tickets read in order are all found, in order, without gaps or duplicates", async () => {
    const alpha = await wholeList("?q=alpha&status=any");
    expect(alpha.ids).toEqual(expected(byWords("alpha")));
    expect(alpha.ids.length).toBe(ALPHA.size);
    expect(alpha.first).toContain(`${ALPHA.size} tickets`);
    expect((await wholeList("?q=alpha")).ids).toEqual(expected((x) => x.status !== "closed" && byWords("alpha")(x)));
    for (const sort of ["created", "priority"] as const) {
      expect((await wholeList(`?q=alpha&status=any&sort=${sort}`)).ids).toEqual(expected(byWords("alpha"), sort));
    }
    // Only among the first tickets: two pages.
    const beta = await wholeList("?q=beta&status=any");
    expect(beta.ids).toEqual(expected(byWords("beta")));
    expect(beta.pages).toBe(2);
    // Only past them: the first page from the index, the next one again in order.
    const gamma = await wholeList("?q=gamma&status=any");
    expect(gamma.ids).toEqual(expected(byWords("gamma")));
    expect(gamma.ids.length).toBe(50);
    expect(gamma.first).toContain("50 tickets");
    expect((await wholeList("?q=gamma&sort=priority")).ids).toEqual(expected((x) => x.status !== "closed" && byWords("gamma")(x), "priority"));
    // Everywhere: 5, 50 to 59, 500 to 599 (111 tickets over five pages).
    const fives = await wholeList("?q=case%205&status=any");
    expect(fives.ids).toEqual(expected(byWords("case 5")));
    expect(fives.ids.length).toBe(111);
    expect(fives.pages).toBe(5);
    expect(new Set(fives.ids).size).toBe(111);
    expect((await wholeList("?q=case%205&status=pending&sort=created")).ids).toEqual(expected((x) => x.status === "pending" && byWords("case 5")(x), "created"));
  });
});
