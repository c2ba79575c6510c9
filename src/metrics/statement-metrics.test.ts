// Statement names for the statement-time histogram: a verb and one of our tables, never a value
// from the statement, so that the label has a few dozen values whatever runs.
import { describe, expect, test } from "bun:test";
import { statementName } from "./statement-metrics.ts";

describe("statement names", () => {
  test("the verb and the first of our tables that the statement names", () => {
    expect(statementName(`select "id", "status" from "conversations" where "conversations"."id" = $1`)).toBe("select conversations");
    expect(statementName(`insert into "messages" ("id", "body") values ($1, $2) returning "id"`)).toBe("insert messages");
    expect(statementName(`update "jobs" set "status" = $1 where "id" = $2`)).toBe("update jobs");
    expect(statementName(`delete from "agent_sessions" where "token_hash" = $1`)).toBe("delete agent_sessions");
    expect(statementName(`  SELECT count(*) FROM jobs WHERE status <> 'done'`)).toBe("select jobs");
    expect(statementName(`(select 1 from "inboxes") union all (select 1 from "contacts")`)).toBe("select inboxes");
  });

  test("a statement with common table expressions is named by what it writes, inserts first", () => {
    const append = `with input as (select * from jsonb_to_recordset($1::jsonb) as x(id uuid)),
      conv as (select id from "conversations" for update), moved as (update "conversations" c set seq = seq + 1 from conv),
      ins as (insert into "messages" (id) select id from input returning *) select * from ins`;
    expect(statementName(append)).toBe("insert messages");
    expect(statementName(`with q as (select id from "conversations" where status = 'queued') select count(*) from q`)).toBe("select conversations");
  });

  test("anything else is its verb alone (or other, or ddl for schema changes): no table, text or value of the statement becomes a name", () => {
    expect(statementName("select 1")).toBe("select");
    expect(statementName(`select * from secret_table_4711 where email = 'kim@example.com'`)).toBe("select");
    expect(statementName(`vacuum "messages"`)).toBe("other");
    expect(statementName("begin")).toBe("begin");
    expect(statementName(`CREATE INDEX "conversations_queue_idx" ON "conversations" ("queued_at")`)).toBe("ddl");
    expect(statementName(`ALTER TABLE "messages" ADD COLUMN "x" text`)).toBe("ddl");
    expect(statementName("")).toBe("other");
  });
});
