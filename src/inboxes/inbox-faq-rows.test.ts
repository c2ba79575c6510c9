// Add and Remove on the inbox settings page (POST /settings/inboxes/:id/faq, by htmx): the server
// renders the FAQ rows as typed, with a blank one added or one removed, numbered again.
import { beforeAll, describe, expect, test } from "bun:test";
import { storageMode } from "../testing/test-database.ts";
import { FAQ_FULL } from "./faq-rows-route.tsx";
import { LIMITS } from "./model.ts";
import { settingsForm, settingsTestApp, type Form } from "./settings-fixture.ts";

const ids = (html: string) => [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
const legends = (html: string) => [...html.matchAll(/<legend>([^<]*)<\/legend>/g)].map((m) => m[1]);

describe(`inbox settings: FAQ rows (${storageMode})`, () => {
  const app = settingsTestApp();
  const { post, newInbox, reload } = app;
  let adminCookie: string;
  let agentCookie: string;
  beforeAll(() => void ({ adminCookie, agentCookie } = app.state));

  const faq = (n: number): Array<[string, string]> => Array.from({ length: n }, (_, i) => [`kw${i}`, `answer ${i}`]);

  test("Add returns the rows as typed (escaped) and a blank one, numbered, with unique ids and the focus on the new one; nothing is saved", async () => {
    const inbox = await newInbox();
    const form: Form = [...settingsForm({}, [['refund"><b>x', '"><script>alert(1)</script>']]), ["faqKeywords", ""], ["faqAnswer", ""], ["faqAdd", "1"]];
    const res = await post(`/settings/inboxes/${inbox.id}/faq`, form, adminCookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("<script>");
    expect(html).not.toContain('"><b>');
    expect(html).toMatch(/value="refund(&#34;|&quot;)/);
    expect(legends(html)).toEqual(["Question 1", "Question 2", "Question 3"]);
    expect(html).toContain(">Remove question 3</button>");
    const all = ids(html);
    expect(new Set(all).size).toBe(all.length);
    expect(html).toMatch(/<input id="faq-2-keywords"[^>]*autofocus/);
    // The refusal message from an earlier Add is emptied.
    expect(html).toMatch(/<p [^>]*id="faq-add-error"[^>]*hx-swap-oob="true"[^>]*><\/p>/);
    expect((await reload(inbox.id)).faq).toEqual(inbox.faq);
  });

  test(`Add is refused past ${LIMITS.faqEntries} questions, with a message; under the limit it adds`, async () => {
    const inbox = await newInbox();
    const full = await post(`/settings/inboxes/${inbox.id}/faq`, [...settingsForm({}, faq(LIMITS.faqEntries)), ["faqAdd", "1"]], adminCookie);
    expect(full.status).toBe(422);
    const message = await full.text();
    expect(message).toContain(FAQ_FULL);
    expect(message).not.toContain("<fieldset");
    const room = await post(`/settings/inboxes/${inbox.id}/faq`, [...settingsForm({}, faq(LIMITS.faqEntries - 1)), ["faqAdd", "1"]], adminCookie);
    expect(room.status).toBe(200);
    expect(legends(await room.text())).toHaveLength(LIMITS.faqEntries);
  });

  test("Remove drops that row, numbers the rest again and puts the focus on the row in its place", async () => {
    const inbox = await newInbox();
    const res = await post(`/settings/inboxes/${inbox.id}/faq`, [...settingsForm({}, faq(3)), ["faqRemove", "1"]], adminCookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(legends(html)).toEqual(["Question 1", "Question 2"]);
    expect(html).toContain('value="kw0"');
    expect(html).not.toContain('value="kw1"');
    expect(html).toContain('value="kw2"');
    expect(html).toMatch(/<button[^>]*autofocus[^>]*>Remove question 2<\/button>/);
    expect(html.match(/autofocus/g)).toHaveLength(1);
    const last = await post(`/settings/inboxes/${inbox.id}/faq`, [...settingsForm({}, faq(1)), ["faqRemove", "0"]], adminCookie);
    expect(legends(await last.text())).toEqual([]);
  });

  test("only admins; an unknown inbox is 404", async () => {
    const inbox = await newInbox();
    expect((await post(`/settings/inboxes/${inbox.id}/faq`, [["faqAdd", "1"]], agentCookie)).status).toBe(403);
    expect((await post(`/settings/inboxes/${crypto.randomUUID()}/faq`, [["faqAdd", "1"]], adminCookie)).status).toBe(404);
  });
});
