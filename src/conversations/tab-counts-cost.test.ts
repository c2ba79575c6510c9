// The tab counts read the indexes, not the table. Open conversations are the newest rows, at the
// end of a live table; a count that stops at "99+" must not read every closed row before them
// (at 100,000 conversations that took "All open" 13-19 ms on every inbox page).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import type { Row } from "../db/raw-values.ts";
import { rowsOf } from "../db/rows.ts";
import { signedInTeam } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { countTabs, tabCountsSql } from "./list-queries.ts";

// Open conversations a few percent of all, as in a live inbox (bench/inbox: 6.6%): enough that a
// table scan looks cheaper to the planner than the index when it assumes them spread evenly.
const CLOSED = 20_000;
const OPEN = 1_500; // half of them Ana's, half queued

describe(`the tab counts' cost (${storageMode})`, () => {
  let t: TestApp;
  let anaId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const team = await signedInTeam(t, { name: "Help", publicKey: "pk_counts" });
    anaId = team.ana.id;
    const db = t.database.db;
    const inboxId = team.inbox.id;
    await db.execute(sql`insert into contacts (id, inbox_id, created_at)
      select gen_random_uuid(), ${inboxId}::uuid, timestamptz '2026-01-01' + n * interval '1 minute' from generate_series(1, ${CLOSED + OPEN}::int) n`);
    // Inserted oldest first, as a live table grows: the closed rows first, then the open ones.
    await db.execute(sql`insert into conversations (id, inbox_id, contact_id, status, assignee_id, last_activity_at, queued_at, last_customer_message_at)
      select gen_random_uuid(), c.inbox_id, c.id, s.status::conversation_status,
        case when s.status = 'assigned' then ${anaId}::uuid end, c.created_at,
        case when s.status = 'queued' then c.created_at end, c.created_at
      from (select id, inbox_id, created_at, row_number() over (order by created_at) as n from contacts where inbox_id = ${inboxId}::uuid) c
      cross join lateral (select case when c.n <= ${CLOSED}::int then 'closed' when c.n % 2 = 0 then 'assigned' else 'queued' end as status) s
      order by c.created_at`);
    await db.execute(sql`analyze conversations`);
  });
  afterAll(() => t.close());

  test("they read a fraction of the conversations table's pages, and still count right", async () => {
    const db = t.database.db;
    expect(await countTabs(db, anaId, 99)).toEqual({ queue: 100, mine: 100, open: 100, snoozed: 0, closed: 100, attention: 100 });

    const pages = rowsOf<{ pages: number }>(await db.execute(sql`select relpages as pages from pg_class where relname = 'conversations'`))[0]!.pages;
    const [plan] = rowsOf<Row>(await db.execute(sql`explain (analyze, buffers, format json) ${tabCountsSql(anaId, 99)}`));
    const json = Object.values(plan!)[0];
    const top = (typeof json === "string" ? JSON.parse(json) : json)[0].Plan as Record<string, number>;
    const buffers = top["Shared Hit Blocks"]! + top["Shared Read Blocks"]!;
    expect(pages).toBeGreaterThan(300);
    // Six counts of at most 100 rows each from their indexes: a few hundred buffers. The table
    // scan this replaced read every page before the open rows.
    expect(buffers).toBeLessThan(pages / 2);
  });
});
