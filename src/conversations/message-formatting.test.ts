// Links and the Markdown subset in the inbox: a message shows rendered on the conversation page,
// in the reply form's answer and in the live push; the queue's previews stay the words as typed;
// a javascript: link or markup typed by anyone stays text.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { customerWrites, signedInTeam, type InboxRow } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

const UPS = "**UPS** tracking https://example.com/track?id=1";
const UPS_HTML =
  '<div class="message-body"><p><strong>UPS</strong> tracking <a href="https://example.com/track?id=1" rel="noopener noreferrer nofollow ugc" target="_blank">https://example.com/track?id=1</a></p></div>';
const HOSTILE = "[click](javascript:alert(1)) <img src=x onerror=alert(1)> javascript:alert(2)";

describe(`messages with links and formatting in the inbox (${storageMode})`, () => {
  let t: TestApp, inbox: InboxRow, ana: string, ben: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    const team = await signedInTeam(t, { name: "Help", publicKey: "pk_formatting", handoffMode: "immediate" });
    ({ inbox } = team);
    [ana, ben] = [team.ana.cookie, team.ben.cookie];
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  const page = async (path: string, cookie = ana) => (await t.request(path, { headers: { cookie } })).text();

  test("the conversation page shows a customer's bold and link; the queue row's preview shows the words as typed", async () => {
    const id = await customerWrites(t, inbox, UPS);
    expect(await page(`/inbox/c/${id}`)).toContain(UPS_HTML);

    const list = await page("/inbox/list?tab=queue");
    const start = list.indexOf(`id="conv-row-${id}"`);
    const row = list.slice(start, list.indexOf("</form>", start));
    expect(row).toContain(UPS);
    expect(row).not.toContain("<strong>");
    expect(row).not.toContain("<a href=\"https://example.com");
  });

  test("an agent's Markdown reply is rendered in the form's answer and in the push to a colleague viewing the conversation", async () => {
    const id = await customerWrites(t, inbox, "hello");
    const url = `${t.listen().replace("http", "ws")}/ws/inbox`;
    const watcher = await openSocket(url, { cookie: ana, origin: TEST_ORIGIN });
    sockets.push(watcher);
    await watcher.waitFor((f) => f.includes('id="live-status"'));
    // From seq 0: the catch-up brings the customer's message, and the socket then follows the conversation.
    watcher.send({ type: "view", conversation: id, after: 0 });
    await watcher.waitFor((f) => f.includes(`<div id="messages-${id}"`) && f.includes("<p>hello</p>"));

    const reply = "Steps:\n1. open **Orders**\n2. press `Track`\n\nhttps://example.com/help";
    const answer = await t.post(`/inbox/c/${id}/messages`, { body: reply, clientId: crypto.randomUUID() }, { cookie: ben });
    expect(answer.status).toBe(201);
    const expected =
      '<div class="message-body"><p>Steps:</p>\n<ol>\n<li>open <strong>Orders</strong></li>\n<li>press <code>Track</code></li>\n</ol>\n' +
      '<p><a href="https://example.com/help" rel="noopener noreferrer nofollow ugc" target="_blank">https://example.com/help</a></p></div>';
    expect(await answer.text()).toContain(expected);
    const pushed = await watcher.waitFor((f) => f.includes(`<div id="messages-${id}"`) && f.includes("Steps:"));
    expect(pushed).toContain(expected);
  });

  test("a javascript: link and markup typed by a customer or an agent stay text, on the page and in the reply form's answer", async () => {
    const id = await customerWrites(t, inbox, HOSTILE);
    const answer = await (await t.post(`/inbox/c/${id}/messages`, { body: HOSTILE, clientId: crypto.randomUUID() }, { cookie: ben })).text();
    const html = await page(`/inbox/c/${id}`);
    const escaped = "[click](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt; javascript:alert(2)";
    for (const shown of [html, answer]) {
      expect(shown).toContain(`<div class="message-body"><p>${escaped}</p></div>`);
      expect(shown).not.toContain("<img");
      expect(shown).not.toMatch(/href="\s*javascript/i);
    }
  });
});
