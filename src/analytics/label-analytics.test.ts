// Analytics' conversations per label: a conversation counts for each label it carries when it was
// active in the range (started in it, or someone wrote in it); on the page (escaped) and as CSV.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { contacts, conversationLabels, conversations, labels, messages } from "../db/schema/index.ts";
import { signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

describe(`analytics: conversations per label (${storageMode})`, () => {
  let t: TestApp, ana: TeamMember, ben: TeamMember, inbox: InboxRow;
  const RANGE = "from=2025-03-01&to=2025-03-07";
  const at = (iso: string) => new Date(`${iso}T12:00:00Z`);

  /** A conversation started `created`, with a message at each of `writes`, carrying `carries`. */
  async function conversation(created: string, writes: string[], carries: string[]) {
    const db = t.database.db;
    const [contact] = await db.insert(contacts).values({ inboxId: inbox.id, name: "C" }).returning();
    const last = [created, ...writes].sort().at(-1)!;
    const [row] = await db
      .insert(conversations)
      .values({ inboxId: inbox.id, contactId: contact!.id, status: "closed", createdAt: at(created), lastActivityAt: at(last), lastSeq: writes.length })
      .returning();
    if (writes.length) await db.insert(messages).values(writes.map((w, i) => ({ conversationId: row!.id, seq: i + 1, sender: "customer" as const, body: "hi", createdAt: at(w) })));
    if (carries.length) await db.insert(conversationLabels).values(carries.map((labelId) => ({ conversationId: row!.id, labelId })));
  }

  beforeAll(async () => {
    t = await createTestApp();
    ({ ana, ben, inbox } = await signedInTeam(t));
    const rows = await t.database.db
      .insert(labels)
      .values([
        { name: "Billing <img src=x onerror=alert(1)>", color: "#fde047" },
        { name: "=HYPERLINK(\"http://evil.example\")", color: "#b42318" },
        { name: "Unused", color: "#000000" },
      ])
      .returning();
    const [billing, formula] = [rows[0]!.id, rows[1]!.id];
    await conversation("2025-03-02", ["2025-03-02"], [billing, formula]); // started in the range
    await conversation("2025-02-01", ["2025-02-01", "2025-03-03"], [billing]); // written in it
    await conversation("2025-02-01", ["2025-03-05", "2025-03-06"], [billing]); // written in it twice: counted once
    await conversation("2025-02-01", ["2025-02-02"], [billing, formula]); // nothing in the range
    await conversation("2025-03-10", ["2025-03-10"], [formula]); // after it
    await conversation("2025-03-03", [], []); // in it, without labels
  });
  afterAll(() => t.close());

  test("the page counts each label's conversations active in the range, every label listed by name, names escaped", async () => {
    const res = await t.request(`/analytics?range=custom&${RANGE}`, { headers: { cookie: ben.cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h2 id="labels-title">Conversations per label</h2>');
    const table = html.slice(html.indexOf('<table class="label-counts">'), html.indexOf("</table>", html.indexOf('<table class="label-counts">')));
    // By name (where "=" sorts depends on the database's collation: compared here in any order).
    const counted = [...table.matchAll(/<span class="label-chip-name">([^<]*)<\/span><\/span><\/th><td class="num">(\d+)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(counted.sort()).toEqual([
      ["=HYPERLINK(&quot;http://evil.example&quot;)", "1"],
      ["Billing &lt;img src=x onerror=alert(1)&gt;", "3"],
      ["Unused", "0"],
    ]);
    expect(html).not.toContain("<img src=x");
    expect(html).toContain(`href="/analytics/labels.csv?range=custom&${RANGE}"`);
    expect(html).toContain("Conversations per label</dt>");
  });

  test("the CSV has the same rows, a formula made text", async () => {
    const res = await t.request(`/analytics/labels.csv?${RANGE}`, { headers: { cookie: ana.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="supportdesk-labels-2025-03-01-to-2025-03-07.csv"');
    const [header, ...rows] = (await res.text()).trim().split("\r\n");
    expect(header).toBe("label,color,conversations");
    expect(rows.sort()).toEqual([
      `"'=HYPERLINK(""http://evil.example"")",#b42318,1`,
      "Billing <img src=x onerror=alert(1)>,#fde047,3",
      "Unused,#000000,0",
    ]);
  });

  test("a range before everything counts nothing, and every label still shows with 0", async () => {
    const csv = await (await t.request(`/analytics/labels.csv?from=2024-01-01&to=2024-01-02`, { headers: { cookie: ana.cookie } })).text();
    expect(csv.trim().split("\r\n").map((l) => l.split(",").at(-1))).toEqual(["conversations", "0", "0", "0"]);
    // The default range (the last days up to today) reads too.
    expect((await t.request("/analytics/labels.csv", { headers: { cookie: ana.cookie } })).status).toBe(200);
  });
});
