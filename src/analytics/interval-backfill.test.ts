// Migration 0007 on an install upgraded from before the interval starts were recorded: the rows
// are those the verbs write (week-fixture.ts and two more stories), with every start removed as
// the old version left them; the migration's SQL must put back what the verbs write, so that the
// figures and the next claim come out as they would have.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { join } from "node:path";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import { MIGRATIONS_DIR } from "../paths.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { parseRange, type Report } from "./model.ts";
import { report } from "./service.ts";
import { playWeek, type Week } from "./week-fixture.ts";

const BERLIN = "Europe/Berlin";

function weekReport(db: Db): Promise<Report> {
  const parsed = parseRange({ from: "2025-03-28", to: "2025-03-31" }, BERLIN);
  if (!parsed.ok) throw new Error(parsed.error);
  return report(db, parsed.range);
}

/** The migration's statements, run as the migrator runs them (one at a time). */
async function runBackfill(db: Db) {
  const text = await Bun.file(join(MIGRATIONS_DIR, "0007_interval_starts_backfill.sql")).text();
  for (const statement of text.split("--> statement-breakpoint")) await db.execute(sql.raw(statement));
}

/** What an install upgraded from before 0006 has: the rows, none of the recorded starts. */
async function forgetStarts(db: Db) {
  await db.execute(sql`update conversation_events set started_at = null`);
  await db.execute(sql`update conversations set first_queued_at = null, first_responder_id = null, episode_started_at = null, queue_entered_at = null`);
}

type Starts = { events: Record<string, unknown>[]; conversations: Record<string, unknown>[] };

/**
 * Every recorded start. queue_entered_at only while the conversation is in the queue: that is the
 * only time the service reads it (the next claim), and the event log cannot tell whether an
 * earlier reopen by the customer went to the queue or back to the agent.
 */
async function startsOf(db: Db): Promise<Starts> {
  const ms = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::bigint::text`);
  const events = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select id, type, ${ms("started_at")} as started_at from conversation_events order by id`),
  );
  const conversations = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select id, status, ${ms("first_queued_at")} as first_queued_at, first_responder_id,
      ${ms("episode_started_at")} as episode_started_at,
      case when status = 'queued' then ${ms("queue_entered_at")} end as queue_entered_at
    from conversations order by id`),
  );
  return { events, conversations };
}

describe(`migration 0007 fills in the interval starts of older rows (${storageMode})`, () => {
  let t: TestApp;
  let db: Db;
  let week: Week;
  let ulla: string;
  let written: { starts: Starts; report: Report };
  let forgotten: Report;

  beforeAll(async () => {
    t = await createTestApp({ env: { TIME_ZONE: BERLIN } });
    db = t.database.db;
    week = await playWeek(t);
    const { play } = week;
    const A = { id: week.ana.id, name: "Ana" };
    const B = { id: week.ben.id, name: "Ben" };
    // Put back by its agent and waiting in the queue at the upgrade.
    const u = await play.customer("Ulla");
    ulla = await u.writes("2025-03-29T10:00:00Z");
    await play.claim(B, ulla, "2025-03-29T10:05:00Z");
    await play.answer(B, ulla, "2025-03-29T10:06:00Z");
    await play.unassign(B, ulla, "2025-03-29T10:30:00Z");
    // Reopened by an agent, not the customer, then closed again.
    const o = await play.customer("Otto");
    const otto = await o.writes("2025-03-30T14:00:00Z");
    await play.claim(A, otto, "2025-03-30T14:01:00Z");
    await play.answer(A, otto, "2025-03-30T14:02:00Z");
    await play.close(A, otto, "2025-03-30T14:10:00Z");
    await play.reopen(A, otto, "2025-03-30T15:00:00Z");
    await play.close(A, otto, "2025-03-30T15:30:00Z");

    written = { starts: await startsOf(db), report: await weekReport(db) };
    await forgetStarts(db);
    forgotten = await weekReport(db);
    await runBackfill(db);
  });
  afterAll(() => t.close());

  test("without the recorded starts the durations have nothing to measure", () => {
    expect(written.report.resolution.count).toBe(8);
    expect(forgotten.resolution.count).toBe(0);
    expect(forgotten.queueWait.count).toBe(0);
    expect(forgotten.agents.find((a) => a.name === "Ana")?.firstResponses).toBe(0);
  });

  test("the backfill puts back every start the verbs recorded", async () => {
    expect(await startsOf(db)).toEqual(written.starts);
  });

  test("and the report is the same as before the upgrade", async () => {
    expect(await weekReport(db)).toEqual(written.report);
  });

  test("running it again changes nothing", async () => {
    await runBackfill(db);
    expect(await startsOf(db)).toEqual(written.starts);
  });

  test("a conversation waiting at the upgrade: its next claim counts from when it was put back, not from its first place in the queue", async () => {
    await week.play.claim({ id: week.ana.id, name: "Ana" }, ulla, "2025-03-29T10:50:00Z");
    const [claim] = rowsOf<{ started_at: string }>(
      await db.execute(sql`select to_char(started_at at time zone 'UTC', 'HH24:MI') as started_at from conversation_events
        where conversation_id = ${ulla} and type = 'claimed' order by created_at desc limit 1`),
    );
    expect(claim!.started_at).toBe("10:30");
  });
});
