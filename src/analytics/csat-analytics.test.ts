// The satisfaction (CSAT) figure of /analytics: ratings counted per local day (Europe/Berlin, across
// midnight and the DST change of 30 March 2025) and per agent, the CSV downloads, and the page.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Db } from "../db/database.ts";
import { conversationRatings } from "../db/schema/index.ts";
import { insertAgent, insertConversation, signedInAdmin } from "../testing/fixtures.ts";
import { storageMode } from "../testing/test-database.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { report } from "./service.ts";
import { csvRows, rangeOf, WEEK } from "./week-app-fixture.ts";

describe(`analytics: satisfaction (${storageMode})`, () => {
  let t: TestApp;
  let db: Db;
  let cookie: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { TIME_ZONE: "Europe/Berlin" } });
    db = t.database.db;
    cookie = await signedInAdmin(t);
    const ana = await insertAgent(db, "Ana <b>Rater</b>");
    const ben = await insertAgent(db, "Ben");
    // [given at (UTC), rating, assignee at close]
    const given: [string, number, string | null][] = [
      ["2025-03-27T23:30:00Z", 5, ben.id], // 00:30 on Fri 28 in Berlin
      ["2025-03-28T10:00:00Z", 5, ana.id],
      ["2025-03-28T23:30:00Z", 4, ana.id], // 00:30 on Sat 29 in Berlin
      ["2025-03-29T12:00:00Z", 1, ana.id],
      ["2025-03-30T12:00:00Z", 3, ben.id], // summer time from 30 March
      ["2025-03-31T09:00:00Z", 2, null],
      ["2025-03-31T22:30:00Z", 5, ana.id], // 00:30 on Tue 1 April in Berlin: outside the range
    ];
    for (const [at, rating, agentId] of given) {
      const { conversation } = await insertConversation(db, "closed");
      await db.insert(conversationRatings).values({ conversationId: conversation.id, episodeClosedAt: new Date(at), rating, agentId, createdAt: new Date(at) });
    }
  });
  afterAll(() => t.close());

  test("the share of good ratings, the count and the spread, per agent and per local day", async () => {
    const { csat } = await report(db, rangeOf(WEEK));
    expect([csat.ratings, csat.good, csat.share, csat.distribution]).toEqual([6, 3, 0.5, [1, 1, 1, 1, 2]]);
    expect(csat.perAgent.map((a) => [a.agentName, a.ratings, a.good])).toEqual([["Ana <b>Rater</b>", 3, 2], ["Ben", 2, 1], [null, 1, 0]]);
    expect(csat.perDay.map((d) => [d.day, d.distribution])).toEqual([
      ["2025-03-28", [0, 0, 0, 0, 2]],
      ["2025-03-29", [1, 0, 0, 1, 0]],
      ["2025-03-30", [0, 0, 1, 0, 0]],
      ["2025-03-31", [0, 1, 0, 0, 0]],
    ]);
    // The same days in UTC: the first rating falls on the 27th (out), the 00:30 ones back a day, the last one in.
    const utc = (await report(db, rangeOf(WEEK, "UTC"))).csat;
    expect([utc.ratings, utc.perDay.map((d) => d.ratings)]).toEqual([6, [2, 1, 1, 2]]);
  });

  test("the CSV downloads per day and per agent", async () => {
    const range = rangeOf(WEEK);
    expect(await csvRows(db, "satisfaction", range)).toEqual([
      ["day", "ratings", "good_ratings", "good_percent", "terrible_1", "bad_2", "okay_3", "good_4", "great_5"],
      ["2025-03-28", 2, 2, 100, 0, 0, 0, 0, 2],
      ["2025-03-29", 2, 1, 50, 1, 0, 0, 1, 0],
      ["2025-03-30", 1, 0, 0, 0, 0, 1, 0, 0],
      ["2025-03-31", 1, 0, 0, 0, 1, 0, 0, 0],
    ]);
    expect((await csvRows(db, "satisfaction-agents", range)).slice(1)).toEqual([
      ["Ana <b>Rater</b>", 3, 2, 66.7, 1, 0, 0, 1, 1],
      ["Ben", 2, 1, 50, 0, 0, 1, 0, 1],
      [null, 1, 0, 0, 0, 1, 0, 0, 0],
    ]);
    const res = await t.request(`/analytics/satisfaction-agents.csv?range=custom&from=${WEEK.from}&to=${WEEK.to}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Ben,2,1,50,0,0,1,0,1");
  });

  test("the page shows the figure, the spread and the agents, names escaped", async () => {
    const res = await t.request(`/analytics?range=custom&from=${WEEK.from}&to=${WEEK.to}`, { headers: { cookie } });
    const html = await res.text();
    expect(html).toContain("Satisfaction (CSAT)");
    expect(html).toContain("50% good (3 of 6 ratings were Good or Great).");
    expect(html).toContain("Great: 2 ratings");
    expect(html).toContain("Ana &lt;b&gt;Rater&lt;/b&gt;");
    expect(html).not.toContain("<b>Rater");
    expect(html).toContain('href="/analytics/satisfaction.csv?range=custom&from=2025-03-28&to=2025-03-31"');
  });
});
