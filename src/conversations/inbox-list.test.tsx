import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { contacts, conversations, messages } from "../db/schema/index.ts";
import { signedInTeam } from "../testing/fixtures.ts";
import { countStatements } from "../testing/statements.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { ConversationRow } from "../../views/conversations/conversation-row.tsx";
import * as q from "./list-queries.ts";

type Sender = "customer" | "agent" | "bot";

describe(`the inbox list (${storageMode})`, () => {
  let t: TestApp;
  let ana: string;
  let anaId: string;
  let benId: string;
  let benCookie: string;
  let inboxId: string;
  let minute = 0;

  beforeAll(async () => {
    t = await createTestApp();
    const team = await signedInTeam(t, { name: "Help", publicKey: "pk_list" });
    [ana, anaId, benId, benCookie, inboxId] = [team.ana.cookie, team.ana.id, team.ben.id, team.ben.cookie, team.inbox.id];
  });
  afterAll(() => t.close());

  /** A conversation with its messages, inserted directly; each newer than the one before. */
  async function conversation(opts: {
    status?: "queued" | "assigned" | "closed";
    name?: string | null;
    email?: string | null;
    assigneeId?: string | null;
    messages?: [Sender, string, string?][];
  }) {
    const db = t.database.db;
    const at = new Date(Date.UTC(2026, 0, 1) + ++minute * 60_000);
    const [contact] = await db.insert(contacts).values({ inboxId, name: opts.name ?? null, email: opts.email ?? null }).returning();
    const list = opts.messages ?? [["customer", "hello"]];
    const lastCustomer = list.some(([s]) => s === "customer") ? at : null;
    const lastAgent = list.at(-1)?.[0] === "agent" ? at : null;
    const [row] = await db
      .insert(conversations)
      .values({
        inboxId,
        contactId: contact!.id,
        status: opts.status ?? "queued",
        assigneeId: opts.assigneeId ?? null,
        lastSeq: list.length,
        lastActivityAt: at,
        lastCustomerMessageAt: lastCustomer && lastAgent ? new Date(at.getTime() - 1000) : lastCustomer,
        lastAgentMessageAt: lastAgent,
        queuedAt: (opts.status ?? "queued") === "queued" ? at : null,
      })
      .returning();
    if (list.length) {
      await db.insert(messages).values(
        list.map(([sender, body, agentId], i) => ({
          conversationId: row!.id,
          seq: i + 1,
          sender,
          body,
          agentId: agentId ?? null,
          createdAt: new Date(at.getTime() - (list.length - i) * 1000),
        })),
      );
    }
    return row!.id;
  }

  const get = (path: string, headers: Record<string, string> = {}) => t.request(path, { headers: { cookie: ana, ...headers } });
  const ids = (html: string) => [...html.matchAll(/id="conv-row-([0-9a-f-]+)"/g)].map((m) => m[1]);

  test("/inbox has the navigation, tabs, search, list and an empty pane; ?tab= selects the tab", async () => {
    const res = await get("/inbox");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<nav aria-label="Main"');
    expect(html).toContain('id="pane"');
    expect(html).toContain("No conversation open");
    expect(html).toContain('hx-ws:connect="/ws/inbox"');
    expect(html).toContain('<link rel="stylesheet" href="/public/conversation.css"/>');
    expect(html).toContain('<script src="/public/conversation.js"></script>');
    expect(html).toMatch(/<a href="\/inbox\?tab=open"[^>]*aria-current="page"/);
    expect(html).toContain('role="search"');
    expect(html).toContain('id="shortcuts-dialog"');

    const closed = await (await get("/inbox?tab=closed")).text();
    expect(closed).toMatch(/<a href="\/inbox\?tab=closed"[^>]*aria-current="page"/);
    expect(closed).not.toMatch(/<a href="\/inbox\?tab=open"[^>]*aria-current="page"/);
    expect(closed).toContain('data-tab="closed"');
    // An unknown tab is the default one, not an error page.
    expect((await get("/inbox?tab=nope")).status).toBe(200);
  });

  test("the preview says You: for the viewer's own message and names a colleague", async () => {
    const mine = await conversation({ status: "assigned", assigneeId: anaId, name: "Mia", messages: [["customer", "hi"], ["agent", "on it", anaId]] });
    const bens = await conversation({ status: "assigned", assigneeId: benId, name: "Max", messages: [["customer", "hi"], ["agent", "checking", benId]] });
    const html = await (await get("/inbox/list?tab=open")).text();
    const row = (id: string) => html.slice(html.indexOf(`id="conv-row-${id}"`), html.indexOf("</li>", html.indexOf(`id="conv-row-${id}"`)));
    expect(row(mine)).toMatch(/class="row-author"[^>]*>You: <\/span>/);
    expect(row(bens)).toMatch(/class="row-author"[^>]*>Ben: <\/span>/);
    expect(row(bens)).toContain(`data-author-id="${benId}"`);
  });

  test("the pushed row keeps what public/inbox.js needs, and names the author (no viewer)", async () => {
    const id = await conversation({ status: "assigned", assigneeId: anaId, name: "Noa", messages: [["agent", "hello there", anaId], ["customer", "thanks"]] });
    const [summary] = await q.summariesOf(t.database.db, [id]);
    const html = await (<ConversationRow summary={summary!} oob />);
    for (const attr of [`id="conv-row-${id}"`, 'hx-swap-oob="true"', `data-id="${id}"`, 'data-status="assigned"', `data-assignee-id="${anaId}"`, "data-activity=", 'data-needs-attention="true"', 'data-name="Noa"']) {
      expect(html).toContain(attr);
    }
    expect(html).toMatch(/<time class="row-time" datetime="[^"]+" data-relative>/);
    const agentLast = await conversation({ status: "assigned", assigneeId: anaId, messages: [["customer", "q"], ["agent", "a", anaId]] });
    const [pushed] = await q.summariesOf(t.database.db, [agentLast]);
    const pushedHtml = await (<ConversationRow summary={pushed!} oob />);
    expect(pushedHtml).toContain(`data-author-id="${anaId}"`);
    expect(pushedHtml).toContain(">Ana: </span>");
    expect(pushedHtml).not.toContain("data-needs-attention");
  });

  test("search finds rows by name, email and message text, and % and _ match only themselves", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const byName = await conversation({ name: `Zoe ${tag}` });
    const byEmail = await conversation({ email: `${tag}@mail.example` });
    const byText = await conversation({ messages: [["customer", `my order ${tag} is late`]] });
    const percent = await conversation({ name: `100% ${tag}` });
    const plain = await conversation({ name: `1000 ${tag}` });
    const under = await conversation({ name: `a_b ${tag}` });
    const other = await conversation({ name: `axb ${tag}` });
    const search = async (text: string) => ids(await (await get(`/inbox/list?tab=open&q=${encodeURIComponent(text)}`)).text());

    expect((await search(tag)).sort()).toEqual([byName, byEmail, byText, percent, plain, under, other].sort());
    expect(await search(`zoe ${tag}`)).toEqual([byName]);
    expect(await search(`${tag}@mail`)).toEqual([byEmail]);
    expect(await search(`ORDER ${tag}`)).toEqual([byText]);
    expect(await search(`100% ${tag}`)).toEqual([percent]);
    expect(await search(`a_b ${tag}`)).toEqual([under]);
    expect(await search(`${tag} nothing`)).toEqual([]);
    expect(await (await get(`/inbox/list?tab=closed&q=${tag}`)).text()).toContain("No matches");
  });

  test("a search too long is a 400 fragment that says why", async () => {
    const res = await get(`/inbox/list?tab=open&q=${"x".repeat(101)}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Search for at most 100 characters.");
    const page = await get(`/inbox?q=${"x".repeat(101)}`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("Search for at most 100 characters.");
  });

  test("queued rows show their last three messages (one statement for the page) and an Accept button", async () => {
    const id = await conversation({
      name: "Quinn",
      messages: [["customer", "first, not shown"], ["bot", "bot answer"], ["customer", "second"], ["customer", "third <b>x</b>"]],
    });
    const { result: html, count } = await countStatements(t.database.db, async () => (await get("/inbox/list?tab=queue")).text());
    // The session lookup, then the rows with the queued rows' last messages.
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(2);
    const start = html.indexOf(`id="conv-row-${id}"`);
    const row = html.slice(start, html.indexOf('class="row-error"', start));
    expect(row).toContain("bot answer");
    expect(row).toContain("second");
    expect(row).toContain("third &lt;b&gt;x&lt;/b&gt;");
    expect(row).not.toContain("first, not shown");
    expect(row).toContain(`hx-post="/inbox/c/${id}/accept"`);
    expect(row).toContain(">Accept<");
  });

  test("Accept claims and opens the conversation; the agent who lost is told who took it", async () => {
    const id = await conversation({ name: "Rae" });
    const won = await t.post(`/inbox/c/${id}/accept`, {}, { cookie: ana, "hx-request": "true" });
    expect(won.status).toBe(200);
    expect(JSON.parse(won.headers.get("hx-location")!)).toEqual({ path: `/inbox/c/${id}`, target: "#pane", swap: "innerHTML" });
    const ben = benCookie;
    const lost = await t.post(`/inbox/c/${id}/accept`, {}, { cookie: ben, "hx-request": "true" });
    expect(lost.status).toBe(409);
    expect(await lost.text()).toContain("Ana");
    // Without JavaScript: to the conversation either way.
    const plain = await t.post(`/inbox/c/${await conversation({})}/accept`, {}, { cookie: ben });
    expect(plain.status).toBe(303);
    expect((await t.request(`/inbox/c/${crypto.randomUUID()}/accept`, { method: "POST", headers: { cookie: ana, origin: TEST_ORIGIN } })).status).toBe(404);
  });

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
      return start < 0 ? "" : html.slice(start, html.indexOf("</li>", html.indexOf('class="row-error"', start)));
    };

    // The queue: a full page of the newest waiting customers (the rest behind Load more), each with
    // its place in the queue (oldest wait first) and its last three messages.
    const queue = await page("/inbox?tab=queue");
    expect(ids(queue)).toEqual(waiting.slice(-25).reverse());
    expect(queue).toContain("Load more");
    for (const [i, id] of waiting.entries()) {
      if (i < 5) continue;
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
    // The tab bar read with the page counts what the bar's own refresh (GET /inbox/counts) counts,
    // also when the page has no rows (a search that finds nothing).
    const tabBar = (html: string) => html.slice(html.indexOf('<nav id="inbox-tabs"'), html.indexOf("</nav>", html.indexOf('<nav id="inbox-tabs"')));
    const refreshed = tabBar(await (await get("/inbox/counts?tab=queue")).text());
    expect(refreshed).toContain('class="tab-count"');
    expect(tabBar(queue)).toBe(refreshed);
    const nothing = await page(`/inbox?tab=queue&q=${crypto.randomUUID()}`);
    expect(nothing).toContain("No matches");
    expect(tabBar(nothing)).toBe(refreshed);
    // Each row says when it was last active, to the millisecond stored.
    const [latest] = await db.select({ at: conversations.lastActivityAt }).from(conversations).where(eq(conversations.id, done));
    expect(rowOf(closed, done)).toContain(`datetime="${latest!.at.toISOString()}"`);
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
    const counts = await (await get("/inbox/counts?tab=mine")).text();
    expect(counts).toMatch(/All open<\/span><span class="tab-count">99\+<\/span>/);
    expect(counts).toMatch(/<a href="\/inbox\?tab=mine"[^>]*aria-current="page"/);
    const attention = Number(counts.match(/data-attention="(\d+)"/)![1]);
    expect(attention).toBeGreaterThan(0); // the queued ones above wait for anyone, Ana's own for her
    expect(attention).toBeLessThanOrEqual(100);
    const page = await (await get("/inbox")).text();
    expect(page).toMatch(/<title>\(\d+\) Inbox · SupportDesk<\/title>/);
  });
});
