// postgres.js 3.4.9 batches small writes behind a setImmediate. When a connection's socket closed
// with such a write pending, it cancelled the flush but kept the handle, so every later connect of
// that pooled connection buffered its startup message and never sent it: queries on it waited out
// the connect timeout, again and again (the 1,058 ms first ack after a database outage in CI).
// patches/postgres+3.4.9.patch forgets the handle and the dead socket's bytes; this shows it.
//
// Runs only with TEST_DATABASE_URL (PostgreSQL).
import { afterEach, describe, expect, test } from "bun:test";
import { connect, type Socket } from "node:net";
import postgres from "postgres";
import { testDatabaseUrl } from "../testing/test-database.ts";

/** Long, so a connection that waits it out is unmistakable. */
const CONNECT_TIMEOUT_S = 5;

describe.if(testDatabaseUrl !== null)("postgres.js: a connection closed with a write pending", () => {
  let sql: postgres.Sql | undefined;
  afterEach(async () => {
    await sql?.end({ timeout: 1 });
  });

  test("connects again and answers the next query at once", async () => {
    const url = new URL(testDatabaseUrl!);
    let socket: Socket | undefined;
    // `socket` (a factory for the connection's socket) is documented but missing from the types.
    const options = {
      max: 1, // one pooled connection: the next query must use the one that closed
      connect_timeout: CONNECT_TIMEOUT_S,
      onnotice: () => {},
      socket: () => (socket = connect(Number(url.port || 5432), url.hostname)),
    };
    sql = postgres(testDatabaseUrl!, options as postgres.Options<{}>);
    expect([...(await sql`select 1 as n`)]).toEqual([{ n: 1 }]);

    // The query is written into the driver's buffer in the microtasks below; its flush waits for
    // setImmediate. Under load a socket's close lands in that gap; here it is made to, at once.
    const pending = sql`select 2 as n`.then(
      () => "answered",
      (e: { code?: string }) => e.code,
    );
    for (let i = 0; i < 5; i++) await Promise.resolve();
    socket!.destroy();
    socket!.emit("close", false);
    expect(await pending).toBe("CONNECTION_CLOSED");

    const started = performance.now();
    const next = await sql`select 3 as n`;
    const tookMs = performance.now() - started;
    expect([...next]).toEqual([{ n: 3 }]);
    expect(tookMs).toBeLessThan(1000); // unpatched: the connect timeout, 5 s, and then an error
  });
});
