// What a row of the inbox list says (issue 18): the queue in waiting order with the places its
// customers are told, the customer's last words as the preview (never the bot's), anonymous
// visitors told apart (a stable name, their browser and page), and "Offline: reply by email" only
// until an agent answers in the chat.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversations } from "../db/schema/index.ts";
import type { TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { visitorName } from "../contacts/display-name.ts";
import { widgetConversation } from "../widget/service.ts";
import { inboxListFixture } from "./inbox-list-fixture.ts";
import * as q from "./list-queries.ts";
import { inboxList, listTab, type Page } from "./listing.ts";

describe(`the inbox list's rows (${storageMode})`, () => {
  const fixture = inboxListFixture();
  const { conversation, get, ids } = fixture;
  let t: TestApp;
  let ana: string;
  beforeAll(() => void ({ t, ana } = fixture.state));
  const rowOf = (html: string, id: string) => {
    const start = html.indexOf(`id="conv-row-${id}"`);
    return html.slice(start, html.indexOf("</a>", start));
  };

  test("the queue lists the longest wait first, #1 at the top, each place the one its customer is told", async () => {
    // Queued in this order; the first to wait wrote last (the newest activity).
    const waiting = [await conversation({ name: "First" }), await conversation({ name: "Second" }), await conversation({ name: "Third" })];
    await t.database.db.update(conversations).set({ lastActivityAt: new Date(Date.UTC(2026, 5, 1)) }).where(eq(conversations.id, waiting[0]!));
    const html = await (await get("/inbox/list?tab=queue")).text();
    expect(ids(html)).toEqual(waiting);
    const told = await q.queueOrder(t.database.db, 10);
    for (const [i, id] of waiting.entries()) {
      expect(rowOf(html, id)).toContain(`#${i + 1} in queue`);
      expect((await widgetConversation(t.database.db, id))!.queuePosition).toBe(i + 1);
      expect(told[i]!.id).toBe(id);
    }
    // Page by page ("Load more") in the same order, every row once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await listTab(t.database.db, fixture.state.anaId, "queue", cursor, 1);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(waiting);
    // A refresh of a list extended with "Load more" reaches down to the row it had, in this order too.
    const two = await listTab(t.database.db, fixture.state.anaId, "queue", null, 2);
    const refreshed = await inboxList(t.database.db, fixture.state.anaId, "queue", null, null, 1, two.last);
    expect(refreshed.rows.map((r) => r.id)).toEqual(waiting.slice(0, 2));
    expect(refreshed.next).not.toBeNull();
    for (const id of waiting) await t.database.db.update(conversations).set({ status: "closed" }).where(eq(conversations.id, id));
  });

  test("the preview is the customer's last words, not the bot's answer after them; an agent's reply is previewed as theirs", async () => {
    const id = await conversation({ name: "Pia", messages: [["customer", "where is my parcel?"], ["bot", "An agent will be with you shortly."]] });
    const html = await (await get("/inbox/list?tab=open")).text();
    expect(rowOf(html, id)).toContain("where is my parcel?");
    expect(rowOf(html, id)).not.toContain("An agent will be with you shortly.");
    expect(rowOf(html, id)).not.toContain("Bot: ");
    const answered = await conversation({ status: "assigned", assigneeId: fixture.state.anaId, messages: [["customer", "hi"], ["agent", "on it", fixture.state.anaId], ["bot", "stock answer"]] });
    const again = await (await get("/inbox/list?tab=open")).text();
    expect(rowOf(again, answered)).toMatch(/>You: <\/span><span class="row-text">on it</);
  });

  test("anonymous visitors have a stable name and show their browser and page; three are never alike", async () => {
    const visitors = [
      await conversation({ browser: "Chrome 142 on Linux", page: "https://shop.example/pricing?x=1" }),
      await conversation({ browser: "Safari 17.4 on iOS 17.4", page: "https://shop.example/" }),
      await conversation({ browser: "Chrome 142 on Linux", page: "https://shop.example/cart" }),
    ];
    const html = await (await get("/inbox/list?tab=open")).text();
    const rows = visitors.map((id) => rowOf(html, id));
    expect(new Set(rows.map((r) => r.replace(/conv-(row|link)-[0-9a-f-]+|\/inbox\/c\/[0-9a-f-]+|data-id="[^"]+"|datetime="[^"]+"|>[^<]*UTC</g, ""))).size).toBe(3);
    const [contactId] = (await t.database.db.select({ c: conversations.contactId }).from(conversations).where(eq(conversations.id, visitors[0]!))).map((r) => r.c);
    expect(rows[0]).toContain(`>${visitorName(contactId!)}</span>`);
    expect(rows[0]).toContain('class="row-visit">Chrome 142 on Linux · shop.example/pricing</span>');
    expect(rows[1]).toContain("Safari 17.4 on iOS 17.4 · shop.example</span>");
    // The same name finds them in the search, and names them in the pane.
    const found = await (await get(`/inbox/list?tab=open&q=${encodeURIComponent(visitorName(contactId!))}`)).text();
    expect(ids(found)).toContain(visitors[0]);
    expect(ids(found)).not.toContain(visitors[1]);
    const pane = await (await t.request(`/inbox/c/${visitors[0]}`, { headers: { cookie: ana, "hx-request": "true" } })).text();
    expect(pane).toContain(`>${visitorName(contactId!)}</h2>`);
  });

  test("'Offline: reply by email' goes once an agent answers in the chat, live and on reload", async () => {
    const id = await conversation({ name: "Olga", messages: [["customer", "anyone?"]] });
    await t.database.db.update(conversations).set({ offline: true }).where(eq(conversations.id, id));
    expect(rowOf(await (await get("/inbox/list?tab=open")).text(), id)).toContain("Offline: reply by email");
    const sent = await t.post(`/inbox/c/${id}/messages`, { body: "Here now!", clientId: crypto.randomUUID() }, { cookie: ana, "hx-request": "true" });
    expect(sent.status).toBe(201);
    const [summary] = await q.summariesOf(t.database.db, [id]); // what the live push renders
    expect(summary!.offline).toBe(false);
    expect(rowOf(await (await get("/inbox/list?tab=open")).text(), id)).not.toContain("Offline: reply by email");
  });
});
