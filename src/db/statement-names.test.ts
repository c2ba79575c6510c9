// Statement names for the metrics' statement-time label and the spans: a verb and one of our tables,
// never a value from the statement, so there are a few dozen names whatever runs.
import { describe, expect, test } from "bun:test";
import { statementName } from "./statement-names.ts";

const nameOf = (sql: string) => statementName(sql).name;

describe("statement names", () => {
  test("the verb and the first of our tables that the statement names", () => {
    expect(nameOf(`select "id", "status" from "conversations" where "conversations"."id" = $1`)).toBe("select conversations");
    expect(nameOf(`insert into "messages" ("id", "body") values ($1, $2) returning "id"`)).toBe("insert messages");
    expect(nameOf(`update "jobs" set "status" = $1 where "id" = $2`)).toBe("update jobs");
    expect(nameOf(`delete from "agent_sessions" where "token_hash" = $1`)).toBe("delete agent_sessions");
    expect(nameOf(`  SELECT count(*) FROM jobs WHERE status <> 'done'`)).toBe("select jobs");
    expect(nameOf(`(select 1 from "inboxes") union all (select 1 from "contacts")`)).toBe("select inboxes");
  });

  test("a statement with common table expressions is named by what it writes, inserts first", () => {
    const append = `with input as (select * from jsonb_to_recordset($1::jsonb) as x(id uuid)),
      conv as (select id from "conversations" for update), moved as (update "conversations" c set seq = seq + 1 from conv),
      ins as (insert into "messages" (id) select id from input returning *) select * from ins`;
    expect(nameOf(append)).toBe("insert messages");
    expect(nameOf(`with q as (select id from "conversations" where status = 'queued') select count(*) from q`)).toBe("select conversations");
  });

  test("anything else is its verb alone (or other, or ddl for schema changes): no table, text or value of the statement becomes a name", () => {
    expect(nameOf("select 1")).toBe("select");
    expect(nameOf(`select * from secret_table_4711 where email = 'kim@example.com'`)).toBe("select");
    expect(nameOf(`vacuum "messages"`)).toBe("other");
    expect(nameOf("begin")).toBe("begin");
    expect(nameOf(`CREATE INDEX "conversations_queue_idx" ON "conversations" ("queued_at")`)).toBe("ddl");
    expect(nameOf(`ALTER TABLE "messages" ADD COLUMN "x" text`)).toBe("ddl");
    expect(nameOf("")).toBe("other");
  });

  test("a span's parts: the verb and the table apart, and the same for a text seen before", () => {
    const text = `update "conversations" set "status" = $1 where "id" = $2`;
    expect(statementName(text)).toEqual({ name: "update conversations", verb: "update", table: "conversations" });
    expect(statementName(text)).toBe(statementName(text));
    expect(statementName(`insert into "a b; drop" values (1)`)).toEqual({ name: "insert", verb: "insert", table: undefined });
    expect(statementName(`select * from 'alice@example.com'`).name).toBe("select");
  });
});
