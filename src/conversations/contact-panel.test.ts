// The pane's contact panel: who the customer is (email, verification, attributes, escaped) and
// their earlier conversations, matched by email within an inbox and by verified email across.
import { beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { contacts, inboxes } from "../db/schema/index.ts";
import { customerWrites } from "../testing/fixtures.ts";
import type { TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { HTMX, paneFixture, positions } from "./pane-fixture.ts";

describe(`the contact panel (${storageMode})`, () => {
  const fixture = paneFixture();
  const { contact, customerSays } = fixture;
  let t: TestApp;
  let ana: string;
  beforeAll(() => void ({ t, ana } = fixture.state));

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
});
