// The open conversation's pane: messages by day with the events inline, the header's verbs, a
// lost claim, a direct load against htmx, escaping, and what a page costs. The contact panel
// beside it: contact-panel.test.ts.
import { beforeAll, describe, expect, test } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { messages } from "../db/schema/index.ts";
import { messagePushes } from "../messages/message-pushes.tsx";
import { topics } from "../realtime/topics.ts";
import { EventsPush } from "../../views/conversations/conversation-event.tsx";
import { countStatements } from "../testing/statements.ts";
import type { TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { HTMX, paneFixture, positions } from "./pane-fixture.ts";
import * as service from "./service.ts";

describe(`the conversation pane (${storageMode})`, () => {
  const fixture = paneFixture();
  const { deps, agentRef, contact, customerSays, shiftBack } = fixture;
  let t: TestApp;
  let ana: string;
  let anaId: string;
  let benId: string;
  beforeAll(() => void ({ t, ana, anaId, benId } = fixture.state));

  test("messages come by day with the events inline, in order; the agent's own are marked", async () => {
    const customer = await contact({ name: "Dora" });
    const id = await customerSays(customer.id, "first question");
    await shiftBack(id, "4 days");
    await service.claim(deps(), agentRef(anaId, "Ana"), id);
    await service.agentSends(deps(), agentRef(anaId, "Ana"), id, "a1", "an answer from Ana");
    await shiftBack(id, "1 day");
    await service.assign(deps(), agentRef(anaId, "Ana"), id, benId);
    await service.close(deps(), agentRef(anaId, "Ana"), id);
    await customerSays(customer.id, "one more thing");

    const res = await t.request(`/inbox/c/${id}`, { headers: { cookie: ana, ...HTMX } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const fiveDaysAgo = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
    const at = positions(html, [
      'class="day-heading"',
      "first question",
      ">Yesterday<",
      "Ana claimed this",
      "an answer from Ana",
      ">Today<",
      "Assigned to Ben by Ana",
      "Closed by Ana",
      "Reopened by the customer",
      "one more thing",
    ]);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    // The oldest day is named by its date, not "Today"/"Yesterday".
    const oldest = html.match(new RegExp(`data-day="${fiveDaysAgo}"><time datetime="${fiveDaysAgo}">([^<]+)<`));
    expect(oldest?.[1]).toMatch(/^\w{3} \d{1,2} \w{3} \d{4}$/);
    expect(html.match(/class="day-heading"/g)).toHaveLength(3);

    const own = html.match(/<article[^>]*data-own="true"[^>]*>/g) ?? [];
    expect(own).toHaveLength(1);
    expect(own[0]).toContain('data-sender="agent"');
    expect(html.match(/<article[^>]*data-sender="customer"[^>]*>/g)!.every((tag) => !tag.includes("data-own"))).toBe(true);
    expect(html).toContain('role="log"');
    expect(html).toContain('aria-label="Messages with Dora"');
  });

  test("a day's heading has one id wherever it is rendered; a pushed message or event of a new day carries its own", async () => {
    const customer = await contact({ name: "Ida" });
    const id = await customerSays(customer.id, "asked yesterday");
    await shiftBack(id, "1 day");
    await customerSays(customer.id, "asked today");
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const heading = (d: string) => `<h3 id="day-${id}-${d}" class="day-heading" data-day="${d}">`;
    const count = (html: string, needle: string) => html.split(needle).length - 1;

    const pane = await (await t.request(`/inbox/c/${id}`, { headers: { cookie: ana, ...HTMX } })).text();
    expect(count(pane, heading(day(-1)))).toBe(1);
    expect(count(pane, heading(day(0)))).toBe(1);

    // The live push (and the sweeper's repair, and the replay: the same partial) of today's message
    // carries today's heading, with the id the pane has already: the page keeps one of them.
    const [, today] = await t.database.db.select().from(messages).where(eq(messages.conversationId, id)).orderBy(asc(messages.seq));
    const agentsFrame = async (message: typeof today) =>
      (await messagePushes(id, { ...message!, agentName: null })).find(([topic]) => topic === topics.conversationAgents(id))![1];
    const pushed = await agentsFrame(today);
    expect(pushed).toContain(`${heading(day(0))}<time datetime="${day(0)}">Today</time></h3><article id="msg-${today!.id}"`);

    // A message of a day the pane has no heading for brings that day's heading before it.
    const tomorrow = { ...today!, id: crypto.randomUUID(), seq: today!.seq + 1, createdAt: new Date(Date.now() + 86_400_000) };
    const next = await agentsFrame(tomorrow);
    expect(next).toContain(`${heading(day(1))}<time datetime="${day(1)}">`);
    expect(next).not.toContain(heading(day(0)));

    // So does a state change shown inline.
    const event = { id: crypto.randomUUID(), type: "closed" as const, actorName: "Ana", createdAt: new Date() };
    const events = await EventsPush({ conversationId: id, events: [event, { ...event, id: crypto.randomUUID() }] });
    expect(count(events, heading(day(0)))).toBe(1);
    expect(events.indexOf(heading(day(0)))).toBeLessThan(events.indexOf(`id="event-${event.id}"`));
  });

  test("the header offers the verbs that apply to the state, with the keyboard shortcuts", async () => {
    const id = await customerSays((await contact()).id, "hello");
    const pane = async () => (await t.request(`/inbox/c/${id}`, { headers: { cookie: ana, ...HTMX } })).text();
    const verbs = (html: string) => [...html.matchAll(/class="button verb-(\w+)"/g)].map((m) => m[1]);

    let html = await pane();
    expect(verbs(html)).toEqual(["claim", "close"]);
    expect(html).toMatch(/verb-claim"[^>]*data-shortcut="a"/);
    expect(html).toMatch(/verb-close"[^>]*data-shortcut="c"/);
    expect(html).toContain("<h2");
    expect(html).toMatch(/<h2 id="conversation-title-[^"]+">Visitor \d{4}<\/h2>/);
    // Assign: a select of the active agents.
    expect(html).toContain('name="agentId"');
    expect(html).toContain(`<option value="${benId}"`);

    await service.claim(deps(), agentRef(anaId, "Ana"), id);
    html = await pane();
    // Unassign is apart from the everyday verbs and from the Assign picker: in "More actions".
    expect(verbs(html)).toEqual(["close", "unassign"]);
    expect(html).toMatch(/<div id="more-actions-[^"]+" class="conversation-more" popover="auto"[^]*verb-unassign[^]*class="assign-form"/);
    expect(html).toContain("Assigned to Ana");

    await service.close(deps(), agentRef(anaId, "Ana"), id);
    html = await pane();
    expect(verbs(html)).toEqual(["reopen"]);

    // A verb answers with the same block, so the buttons follow the state.
    const reopened = await (await t.post(`/inbox/c/${id}/reopen`, {}, { cookie: ana })).text();
    expect(verbs(reopened)).toEqual(["close", "unassign"]);
    expect(reopened).toContain(`id="conv-notice-${id}"`);
  });

  test("a claim lost to a colleague says who has it, aimed at the header's notice", async () => {
    const id = await customerSays((await contact()).id, "quick");
    await service.claim(deps(), agentRef(benId, "Ben"), id);
    const res = await t.post(`/inbox/c/${id}/claim`, {}, { cookie: ana });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("Already taken by Ben");
    const html = await (await t.request(`/inbox/c/${id}`, { headers: { cookie: ana, ...HTMX } })).text();
    expect(html).toContain(`id="conv-notice-${id}"`);
  });

  test("a direct load is the whole inbox page with the pane; htmx gets the pane alone", async () => {
    const id = await customerSays((await contact({ name: "Fay" })).id, "page test");
    const full = await t.request(`/inbox/c/${id}`, { headers: { cookie: ana } });
    expect(full.status).toBe(200);
    expect(full.headers.get("vary")).toContain("HX-Request");
    const page = await full.text();
    expect(page).toContain("<!doctype html>");
    expect(page).toContain('aria-label="Main"');
    expect(page).toContain('id="conv-list"');
    expect(page).toContain('id="pane"');
    expect(page).toContain(`id="conversation-${id}"`);
    expect(page).toContain("/public/conversation.js");

    const fragment = await (await t.request(`/inbox/c/${id}`, { headers: { cookie: ana, ...HTMX } })).text();
    expect(fragment).not.toContain("<!doctype html>");
    expect(fragment).not.toContain('aria-label="Main"');
    expect(fragment.trimStart().startsWith("<section")).toBe(true);
    expect(fragment).toContain(`id="conversation-${id}"`);

    // htmx restoring history swaps the whole body: it gets the page.
    const restored = await (
      await t.request(`/inbox/c/${id}`, { headers: { cookie: ana, ...HTMX, "hx-history-restore-request": "true" } })
    ).text();
    expect(restored).toContain("<!doctype html>");

    const missing = await t.request(`/inbox/c/${crypto.randomUUID()}`, { headers: { cookie: ana } });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("This conversation does not exist.");
  });

  test("a contact named with markup and a script body are shown as text", async () => {
    const evil = await contact({ name: `<script>alert("name")</script>`, email: `"><img src=x onerror=alert(1)>@x.example` });
    const id = await customerSays(evil.id, `<script>alert("body")</script>`);
    for (const headers of [{ cookie: ana, ...HTMX }, { cookie: ana }]) {
      const html = await (await t.request(`/inbox/c/${id}`, { headers })).text();
      // Inside a quoted attribute value "<" is text; what matters is that no quote closes it early.
      const markup = html.replace(/="[^"]*"/g, '=""');
      expect(markup).not.toContain("<script>alert");
      expect(markup).not.toContain("<img");
      expect(html).toContain("&lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;");
      expect(html).toContain("&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;");
    }
  });

  test("a conversation's whole page costs at most four SQL statements with the session's lookup, however long it is", async () => {
    const customer = await contact({ name: "Gus", email: "gus@example.com", attributes: { plan: "pro" } });
    const id = await customerSays(customer.id, "the very first question");
    await service.claim(deps(), agentRef(anaId, "Ana"), id);
    // Longer than the pane shows (its latest 50 messages), with an event among the shown ones.
    for (let i = 0; i < 30; i++) {
      await service.agentSends(deps(), agentRef(anaId, "Ana"), id, `a${i}`, `reply ${i}`);
      await customerSays(customer.id, `question ${i}`);
    }
    await service.assign(deps(), agentRef(anaId, "Ana"), id, benId);
    const waiting = await customerSays((await contact({ name: "Hal" })).id, "still waiting");

    const load = async (path: string, headers: Record<string, string> = {}) => {
      const { result, count } = await countStatements(t.database.db, async () => {
        const res = await t.request(path, { headers: { cookie: ana, ...headers } });
        expect(res.status).toBe(200);
        return res.text();
      });
      expect(count).toBeLessThanOrEqual(4);
      return result;
    };
    for (const headers of [{}, HTMX]) {
      const html = await load(`/inbox/c/${id}`, headers);
      expect(html).toContain("question 29");
      expect(html).not.toContain("the very first question");
      expect(html).toContain("Assigned to Ben by Ana");
      expect(html).toContain("gus@example.com");
      expect(html).toContain(">pro<");
      expect(html).toContain(`<option value="${benId}"`);
    }
    // A waiting customer's place in the queue is part of the header.
    expect(await load(`/inbox/c/${waiting}`)).toMatch(/Waiting in the queue \(#\d+\)/);
  });
});
