// The inbox list: the page, its rows (previews, the pushed row), search, the queue's rows and
// Claim. What a page costs: inbox-list-cost.test.ts.
import { beforeAll, describe, expect, test } from "bun:test";
import { countStatements } from "../testing/statements.ts";
import { TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { ConversationRow } from "../../views/conversations/conversation-row.tsx";
import { inboxListFixture } from "./inbox-list-fixture.ts";
import * as q from "./list-queries.ts";

describe(`the inbox list (${storageMode})`, () => {
  const fixture = inboxListFixture();
  const { conversation, get, ids } = fixture;
  let t: TestApp;
  let ana: string;
  let anaId: string;
  let benId: string;
  let benCookie: string;
  beforeAll(() => void ({ t, ana, anaId, benId, benCookie } = fixture.state));

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

  test("queued rows show their last three messages (one statement for the page) and a Claim button", async () => {
    const id = await conversation({
      name: "Quinn",
      messages: [["customer", "first, not shown"], ["bot", "bot answer"], ["customer", "second"], ["customer", "third <b>x</b>"]],
    });
    const { result: html, count } = await countStatements(t.database.db, async () => (await get("/inbox/list?tab=queue")).text());
    // The session lookup, then the rows with the queued rows' last messages.
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(2);
    const start = html.indexOf(`id="conv-row-${id}"`);
    const row = html.slice(start, html.indexOf("</form>", start));
    expect(row).toContain("bot answer");
    expect(row).toContain("second");
    expect(row).toContain("third &lt;b&gt;x&lt;/b&gt;");
    expect(row).not.toContain("first, not shown");
    expect(row).toContain(`hx-post="/inbox/c/${id}/accept"`);
    expect(row).toContain(">Claim<");
    expect(row).not.toContain(">Accept<");
  });

  test("Claim in a queued row claims and opens the conversation; the agent who lost is told who took it", async () => {
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
});
