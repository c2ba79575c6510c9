// What a statement's span is called: its verb and first table, as an operator searches for it,
// and nothing of its text, whatever the statement holds.
import { describe, expect, test } from "bun:test";
import { statementName } from "./statement-spans.ts";

describe("statement names", () => {
  const cases: Array<[sql: string, name: string]> = [
    ['insert into "messages" ("id", "body") values ($1, $2) returning "id"', "insert messages"],
    ['select "id", "status" from "conversations" where "conversations"."id" = $1', "select conversations"],
    ['update "contacts" set "name" = $1 where "id" = $2', "update contacts"],
    ['delete from "agent_sessions" where "expires_at" < $1', "delete agent_sessions"],
    ['select * from "drizzle"."__drizzle_migrations" order by created_at desc limit 1', "select __drizzle_migrations"],
    ["  \n -- why\n /* note */ SELECT count(*) FROM jobs", "select jobs"],
    // A function in FROM is not a table: the first real one after it is.
    ["with input as (select * from jsonb_to_recordset($1::jsonb) as x(id uuid)) insert into \"messages\" (id) select id from input", "insert messages"],
    // A `with` is named by the row it writes: its insert before its update, wherever they are.
    ['with next as (update "conversations" set last_seq = last_seq + 1 returning id) insert into "messages" (id) select id from next', "insert messages"],
    ['with next as (update "conversations" set x = 1 returning id), ins as (insert into "messages" select * from next returning *) select * from ins', "insert messages"],
    ['with c as (select id from "conversations" for update) update "messages" set x = 1 from c', "update messages"],
    ['with c as (select id from "conversations" for no key update) select * from c', "select c"],
    ['with gone as (delete from "jobs" where id = $1 returning id) select count(*) from gone', "delete jobs"],
    ['with ranked as (select id from "conversations") select * from ranked join "messages" on true', "select ranked"],
    ["select 1", "select"],
    ["begin", "begin"],
    ["select pg_advisory_lock($1)", "select"],
  ];
  for (const [sql, name] of cases) {
    test(`${JSON.stringify(sql.slice(0, 60))} is "${name}"`, () => {
      expect(statementName(sql).name).toBe(name);
    });
  }

  test("values written into the text never reach the name: only identifiers are taken", () => {
    expect(statementName("select * from 'alice@example.com'").name).toBe("select");
    expect(statementName('insert into "a b; drop" values (1)').name).toBe("insert");
    expect(statementName("update").name).toBe("update");
    expect(statementName("").name).toBe("statement");
  });
});
