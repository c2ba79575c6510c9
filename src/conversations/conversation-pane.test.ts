import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { contacts, inboxes } from "../db/schema/index.ts";
import { customerWrites, signedInTeam, type InboxRow } from "../testing/fixtures.ts";
import { countStatements } from "../testing/statements.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import * as service from "./service.ts";

const HTMX = { "hx-request": "true" };

/** Where each needle first occurs; fails on a missing one. */
function positions(html: string, needles: string[]): number[] {
  return needles.map((needle) => {
    const at = html.indexOf(needle);
    if (at < 0) throw new Error(`missing in the pane: ${needle}`);
    return at;
  });
}

describe(`the conversation pane (${storageMode})`, () => {
  let t: TestApp;
  let ana: string;
  let anaId: string;
  let benId: string;
  let inbox: InboxRow;

  beforeAll(async () => {
    t = await createTestApp();
    const team = await signedInTeam(t, { name: "Help <desk>", publicKey: "pk_pane", handoffMode: "immediate" });
    ({ inbox } = team);
    [ana, anaId, benId] = [team.ana.cookie, team.ana.id, team.ben.id];
  });
  afterAll(() => t.close());

  const deps = () => ({ db: t.database.db, bus: t.ctx.bus });
  const agentRef = (id: string, name: string) => ({ id, name });

  async function contact(values: Partial<typeof contacts.$inferInsert> = {}) {
    const [row] = await t.database.db.insert(contacts).values({ inboxId: inbox.id, ...values }).returning();
    return row!;
  }

  const customerSays = (contactId: string, body: string) => customerWrites(t, inbox, body, contactId);

  /** Moves everything said and done so far in the conversation back in time. */
  async function shiftBack(id: string, interval: string) {
    await t.database.db.execute(sql`update messages set created_at = created_at - ${interval}::interval where conversation_id = ${id}`);
    await t.database.db.execute(sql`update conversation_events set created_at = created_at - ${interval}::interval where conversation_id = ${id}`);
  }

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
    expect(oldest?.[1]).toMatch(/^\w{3}, \d{1,2} \w{3} \d{4}$/);
    expect(html.match(/class="day-heading"/g)).toHaveLength(3);

    const own = html.match(/<article[^>]*data-own="true"[^>]*>/g) ?? [];
    expect(own).toHaveLength(1);
    expect(own[0]).toContain('data-sender="agent"');
    expect(html.match(/<article[^>]*data-sender="customer"[^>]*>/g)!.every((tag) => !tag.includes("data-own"))).toBe(true);
    expect(html).toContain('role="log"');
    expect(html).toContain('aria-label="Messages with Dora"');
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
    expect(html).toContain(">Visitor<");
    // Assign: a select of the active agents.
    expect(html).toContain('name="agentId"');
    expect(html).toContain(`<option value="${benId}"`);

    await service.claim(deps(), agentRef(anaId, "Ana"), id);
    html = await pane();
    expect(verbs(html)).toEqual(["unassign", "close"]);
    expect(html).toContain("Assigned to Ana");

    await service.close(deps(), agentRef(anaId, "Ana"), id);
    html = await pane();
    expect(verbs(html)).toEqual(["reopen"]);

    // A verb answers with the same block, so the buttons follow the state.
    const reopened = await (await t.post(`/inbox/c/${id}/reopen`, {}, { cookie: ana })).text();
    expect(verbs(reopened)).toEqual(["unassign", "close"]);
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

  test("the contact panel shows email, verification and attributes, escaped", async () => {
    const verified = await contact({
      name: "Eve",
      email: "eve@example.com",
      externalId: "user-42",
      attributes: { plan: "pro", seats: 5, "<b>key</b>": "<i>value</i>" },
    });
    const id = await customerSays(verified.id, "hi");
    const html = await (await t.request(`/inbox/c/${id}`, { headers: { cookie: ana, ...HTMX } })).text();
    expect(html).toContain('class="contact-panel"');
    expect(html).toContain("eve@example.com");
    expect(html).toContain('data-verified="true"');
    expect(html).toContain(">plan<");
    expect(html).toContain(">pro<");
    expect(html).toContain(">5<");
    expect(html).toContain("&lt;b&gt;key&lt;/b&gt;");
    expect(html).toContain("&lt;i&gt;value&lt;/i&gt;");
    expect(html).toContain("Help &lt;desk&gt;");
    expect(html).toContain("No earlier conversations");

    const anonymous = await customerSays((await contact()).id, "hi");
    const other = await (await t.request(`/inbox/c/${anonymous}`, { headers: { cookie: ana, ...HTMX } })).text();
    expect(other).toContain('data-verified="false"');
    expect(other).toContain("No attributes");
  });

  /** Another inbox (another website), and a customer's message in it. */
  async function otherInbox(name: string) {
    const [row] = await t.database.db
      .insert(inboxes)
      .values({ name, publicKey: `pk_pane_other_${crypto.randomUUID()}`, identitySecret: "s", handoffMode: "immediate" })
      .returning();
    return row!;
  }
  async function contactIn(inboxId: string, values: Partial<typeof contacts.$inferInsert>) {
    const [row] = await t.database.db.insert(contacts).values({ inboxId, ...values }).returning();
    return row!;
  }
  const earlierSection = async (conversationId: string) => {
    const html = await (await t.request(`/inbox/c/${conversationId}`, { headers: { cookie: ana, ...HTMX } })).text();
    return html.slice(html.indexOf("Earlier conversations"));
  };

  test("earlier conversations: the same email from other devices in this inbox, newest first; the same user id or an unverified email in another inbox, and strangers, are not listed", async () => {
    const shop = await otherInbox("Shop");
    const here = await contact({ name: "Ivy", email: "Ivy@Example.com", externalId: "user-ivy" });
    const current = await customerSays(here.id, "my parcel is late");
    // Another website's user with the same id is another website's user.
    const sameId = await contactIn(shop.id, { externalId: "user-ivy", email: "other@example.com" });
    const sameIdOne = await customerWrites(t, shop, "same id elsewhere", sameId.id);
    // The same address typed in another inbox proves nothing.
    const typedElsewhere = await contactIn(shop.id, { email: "ivy@example.com" });
    const typedElsewhereOne = await customerWrites(t, shop, "typed elsewhere", typedElsewhere.id);
    // The same email, typed by anonymous visitors on other devices in this inbox (case differs).
    const olderDevice = await contact({ email: "ivy@example.com" });
    const olderOne = await customerSays(olderDevice.id, "refund <please>");
    await t.database.db.execute(sql`update conversations set last_activity_at = now() - interval '2 days' where id = ${olderOne}`);
    const newerDevice = await contact({ email: "IVY@example.com" });
    const newerOne = await customerSays(newerDevice.id, "is anyone there?");
    // The same name is not the same person.
    const stranger = await contact({ name: "Ivy", email: "someone@example.com" });
    await customerSays(stranger.id, "unrelated");

    const section = await earlierSection(current);
    expect(section).not.toContain("No earlier conversations");
    for (const absent of ["unrelated", "same id elsewhere", "typed elsewhere", `/inbox/c/${sameIdOne}"`, `/inbox/c/${typedElsewhereOne}"`, `/inbox/c/${current}"`]) {
      expect(section).not.toContain(absent);
    }
    // Newest activity first: the newer device (now) before the older one (two days ago).
    const [newerAt, olderAt] = positions(section, [`/inbox/c/${newerOne}"`, `/inbox/c/${olderOne}"`]);
    expect(newerAt!).toBeLessThan(olderAt!);
    expect(section).toContain("is anyone there?");
    expect(section).toContain("refund &lt;please&gt;");
    expect(section.match(/same email, not verified/g)).toHaveLength(2);
    expect(section).not.toContain("same verified");
    expect(section).toContain(`hx-get="/inbox/c/${olderOne}"`);

    // Nor from the other side: the shop's user with the same id sees nothing of this inbox.
    expect(await earlierSection(sameIdOne)).toContain("No earlier conversations");
  });

  test("earlier conversations: an email verified in two inboxes is the same person, both ways, and says so; unverified on either side it is not", async () => {
    const shop = await otherInbox("Shop <b>EU</b>");
    const here = await contact({ name: "Lee", email: "lee@example.com", emailVerified: true, externalId: "lee-1" });
    const current = await customerSays(here.id, "where is my order?");
    // The shop's own user (its own id) whose email the shop signed too.
    const verifiedThere = await contactIn(shop.id, { email: "LEE@example.com", emailVerified: true, externalId: "shop-user-9" });
    const verifiedOne = await customerWrites(t, shop, "refund <please>", verifiedThere.id);
    // The same address, typed by a visitor of the shop: not proof.
    const typedThere = await contactIn(shop.id, { email: "lee@example.com" });
    const typedOne = await customerWrites(t, shop, "typed in the shop", typedThere.id);

    const section = await earlierSection(current);
    expect(section).toContain(`/inbox/c/${verifiedOne}"`);
    expect(section).toContain("refund &lt;please&gt;");
    expect(section).toContain("Shop &lt;b&gt;EU&lt;/b&gt;");
    expect(section).toContain("same verified email");
    expect(section).not.toContain("same email, not verified");
    expect(section).not.toContain(`/inbox/c/${typedOne}"`);

    // From the shop's side the verified one lists this conversation; the typed one lists nothing.
    const back = await earlierSection(verifiedOne);
    expect(back).toContain(`/inbox/c/${current}"`);
    expect(back).toContain("same verified email");
    const typedSide = await earlierSection(typedOne);
    expect(typedSide).not.toContain(`/inbox/c/${current}"`);
    // Within the shop, the typed address matches its verified user's, marked as not verified.
    expect(typedSide).toContain(`/inbox/c/${verifiedOne}"`);
    expect(typedSide).toContain("same email, not verified");

    // The panel says which email the site signed.
    const pane = await (await t.request(`/inbox/c/${current}`, { headers: { cookie: ana, ...HTMX } })).text();
    expect(pane).toContain('data-email-verified="true"');
    expect(await (await t.request(`/inbox/c/${typedOne}`, { headers: { cookie: ana, ...HTMX } })).text()).not.toContain("data-email-verified");
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
