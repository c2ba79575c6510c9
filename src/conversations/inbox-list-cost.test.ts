// What the inbox list costs: the whole page in at most four SQL statements on every tab however
// full, and tab counts that stop at 99+.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { contacts, conversations } from "../db/schema/index.ts";
import { countSentStatements, countStatements } from "../testing/statements.ts";
import { type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { inboxListFixture } from "./inbox-list-fixture.ts";

describe(`the inbox list: what it costs (${storageMode})`, () => {
  const fixture = inboxListFixture();
  const { conversation, get, ids } = fixture;
  let t: TestApp;
  let anaId: string;
  let benId: string;
  let inboxId: string;
  beforeAll(() => void ({ t, anaId, benId, inboxId } = fixture.state));

  test("the whole /inbox page costs at most four SQL statements with the session's lookup, on every tab, however full", async () => {
    const db = t.database.db;
    const queuedBefore = (await db.select({ id: conversations.id }).from(conversations).where(eq(conversations.status, "queued"))).length;
    // More than a page of waiting customers, each with a transcript longer than the preview.
    const waiting: string[] = [];
    for (let i = 0; i < 30; i++) {
      waiting.push(
        await conversation({ name: `Waiting ${i}`, messages: [["customer", `w${i} first`], ["bot", `w${i} bot`], ["customer", `w${i} second`], ["customer", `w${i} third`]] }),
      );
    }
    const anas = [await conversation({ status: "assigned", assigneeId: anaId, name: "Ana's own" }), await conversation({ status: "assigned", assigneeId: anaId })];
    const bens = await conversation({ status: "assigned", assigneeId: benId, name: "Ben's own" });
    const done = await conversation({ status: "closed", assigneeId: anaId, name: "Done" });

    const page = async (path: string) => {
      const { result, count } = await countStatements(db, async () => {
        const res = await get(path);
        expect(res.status).toBe(200);
        return res.text();
      });
      expect(count).toBeLessThanOrEqual(4);
      return result;
    };
    const rowOf = (html: string, id: string) => {
      const start = html.indexOf(`id="conv-row-${id}"`);
      const next = html.indexOf('id="conv-row-', start + 1);
      return start < 0 ? "" : html.slice(start, next < 0 ? html.indexOf("</ul>", start) : next);
    };

    // The queue: a full page of the longest waiting customers, oldest wait first (the rest behind
    // Load more), each with its place in the queue and its last three messages.
    const queue = await page("/inbox?tab=queue");
    const shown = 25 - queuedBefore;
    expect(ids(queue).slice(queuedBefore)).toEqual(waiting.slice(0, shown));
    expect(queue).toContain("Load more");
    for (const [i, id] of waiting.entries()) {
      if (i >= shown) continue;
      const row = rowOf(queue, id);
      expect(row).toContain(`#${queuedBefore + i + 1} in queue`);
      expect(row).toContain(`w${i} bot`);
      expect(row).toContain(`w${i} third`);
      expect(row).not.toContain(`w${i} first`);
    }

    // Mine: Ana's open conversations only; open: everyone's; closed: the archive.
    const mine = await page("/inbox?tab=mine");
    expect(ids(mine)).toEqual(expect.arrayContaining(anas));
    expect(ids(mine)).not.toContain(bens);
    expect(ids(mine)).not.toContain(done);
    const open = await page("/inbox");
    expect(ids(open).slice(0, 3)).toEqual([bens, ...anas.toReversed()]);
    expect(ids(open)).not.toContain(done);
    expect(rowOf(open, waiting.at(-1)!)).toContain("w29 third");
    const closed = await page("/inbox?tab=closed");
    expect(ids(closed)[0]).toBe(done);
    // The tab bar read with the page counts what the bar brought by the list's refresh (GET
    // /inbox/list, out of band) counts, also when the page has no rows (a search that finds nothing).
    const tabBar = (html: string) =>
      html.slice(html.indexOf('<nav id="inbox-tabs"'), html.indexOf("</nav>", html.indexOf('<nav id="inbox-tabs"'))).replace(' hx-swap-oob="true"', "");
    const refreshed = tabBar(await (await get("/inbox/list?tab=queue")).text());
    expect(refreshed).toContain('class="tab-count"');
    expect(tabBar(queue)).toBe(refreshed);
    const nothing = await page(`/inbox?tab=queue&q=${crypto.randomUUID()}`);
    expect(nothing).toContain("No matches");
    expect(tabBar(nothing)).toBe(refreshed);
    // Each row says when it was last active, to the millisecond stored.
    const [latest] = await db.select({ at: conversations.lastActivityAt }).from(conversations).where(eq(conversations.id, done));
    expect(rowOf(closed, done)).toContain(`datetime="${latest!.at.toISOString()}"`);
  });

  test("every inbox page is two statements at the driver, the session's lookup and the page's own, on every tab and for a conversation", async () => {
    const queued = await conversation({ name: "Counted", messages: [["customer", "counted first"], ["customer", "counted second"]] });
    const mine = await conversation({ status: "assigned", assigneeId: anaId, name: "Counted mine" });
    const pages: [string, Record<string, string>?][] = [
      ["/inbox"],
      ["/inbox?tab=queue"],
      ["/inbox?tab=mine"],
      ["/inbox?tab=closed"],
      ["/inbox?tab=queue&q=counted"],
      ["/inbox/list?tab=open"],
      [`/inbox/c/${queued}`],
      [`/inbox/c/${mine}`, { "hx-request": "true" }],
      // Refused (a search too long): the tab bar's counts instead of the page.
      [`/inbox?q=${"x".repeat(101)}`],
    ];
    for (const [path, headers] of pages) {
      const { result, count } = await countSentStatements(t.ctx.metrics, async () => {
        const res = await get(path, headers);
        return { status: res.status, html: await res.text() };
      });
      expect({ path, status: result.status, count }).toEqual({ path, status: path.includes("xxx") ? 400 : 200, count: 2 });
      if (path.includes("q=counted")) expect(ids(result.html)).toEqual([queued]);
    }
  });

  test("tab counts are capped: 120 open conversations show 99+, and the title counts what needs attention", async () => {
    const db = t.database.db;
    const made = await db
      .insert(contacts)
      .values(Array.from({ length: 120 }, (_, i) => ({ inboxId, name: `Bulk ${i}` })))
      .returning({ id: contacts.id });
    const now = new Date();
    await db.insert(conversations).values(
      made.map((c) => ({ inboxId, contactId: c.id, status: "assigned" as const, assigneeId: benId, lastCustomerMessageAt: now })),
    );
    const counts = await (await get("/inbox/list?tab=mine")).text();
    expect(counts).toMatch(/All open<\/span><span class="tab-count">99\+<\/span>/);
    expect(counts).toMatch(/<a href="\/inbox\?tab=mine"[^>]*aria-current="page"/);
    const attention = Number(counts.match(/data-attention="(\d+)"/)![1]);
    expect(attention).toBeGreaterThan(0); // the queued ones above wait for anyone, Ana's own for her
    expect(attention).toBeLessThanOrEqual(100);
    const page = await (await get("/inbox")).text();
    expect(page).toMatch(/<title>\(\d+\) Inbox · SupportDesk<\/title>/);
    // The list's refresh brings the title along (htmx makes it the page's).
    expect(counts).toMatch(/<title>\(\d+\) Inbox · SupportDesk<\/title>/);
  });
});
