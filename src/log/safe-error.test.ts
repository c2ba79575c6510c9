// A failed statement's log line says why it failed (the driver's code and message) and which
// statement it was, and never what it was given: parameters are customers' words, emails, tokens.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { postgresDatabase } from "../db/postgres.ts";
import { freshDatabase, storageMode, testDatabaseUrl, type TestDatabase } from "../testing/test-database.ts";
import { errorMessage } from "./logger.ts";

const SECRET = "visitor.secret@example.com";

async function failure(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    return errorMessage(err);
  }
  throw new Error("the statement did not fail");
}

describe(`log lines of failed statements (${storageMode})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.close());

  test("a refused connection is named with the driver's code and message, beside the statement, without its parameter", async () => {
    // Port 9 (discard) on loopback: nothing listens there, so connecting is refused at once.
    const unreachable = postgresDatabase("postgres://sd@127.0.0.1:9/sd", { connectTimeout: 1 });
    try {
      const line = await failure(() => unreachable.db.execute(sql`select id from contacts where email = ${SECRET}`));
      expect(line).toContain("code=ECONNREFUSED");
      expect(line).toContain('message="connect ECONNREFUSED 127.0.0.1:9"');
      expect(line).toContain('statement="select id from contacts where email = $1"');
      expect(line).not.toContain(SECRET);
    } finally {
      await unreachable.close();
    }
  });

  test("an error from the database gives its SQLSTATE and message with the value it quotes taken out", async () => {
    const line = await failure(() => database.db.execute(sql`select ${SECRET}::int`));
    expect(line).toContain("sqlstate=22P02");
    expect(line).toContain('message="invalid input syntax for type integer: …"');
    expect(line).not.toContain(SECRET);
  });

  test("a not-null violation names the table and column, not the row", async () => {
    const line = await failure(() => database.db.execute(sql`insert into inboxes (id, name, public_key, identity_secret) values (gen_random_uuid(), ${SECRET}, null, 's')`));
    expect(line).toContain("sqlstate=23502");
    expect(line).toContain("table=inboxes");
    expect(line).toContain("column=public_key");
    expect(line).not.toContain(SECRET);
  });

  // PostgreSQL only: the server-side statement timeout (postgres.ts), overridden in the URL as the README says.
  test.if(testDatabaseUrl !== null)("a statement past statement_timeout is ended by the server, and the log says so", async () => {
    const url = new URL(database.url!);
    url.searchParams.set("statement_timeout", "100");
    const short = postgresDatabase(url.toString(), { max: 1 });
    try {
      const line = await failure(() => short.db.execute(sql`select pg_sleep(5), ${SECRET}::text`));
      expect(line).toContain("sqlstate=57014");
      expect(line).toContain('message="canceling statement due to statement timeout"');
      expect(line).not.toContain(SECRET);
    } finally {
      await short.close();
    }
  });
});
