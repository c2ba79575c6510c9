// The inbox is read on every widget request and socket frame: callers missing the cache together
// share one read (a reconnect storm sent thousands), and a change is never hidden by a read that
// began before it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { countStatements } from "../testing/statements.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { cachedInbox, forgetInbox } from "./inbox-cache.ts";
import type { Inbox } from "./queries.ts";
import { createInbox, findInbox, findInboxByPublicKey, updateInboxSettings } from "./service.ts";
import { valuesFromInbox, parseInboxSettings } from "./model.ts";

describe(`the inbox cache (${storageMode})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test("fifty sockets asking for an inbox nobody has read yet: one statement, each gets it", async () => {
    const db = t.database.db;
    const inbox = await createInbox(db, "Shop");
    const { result, count } = await countStatements(db, () => Promise.all(Array.from({ length: 50 }, () => findInbox(db, inbox.id))));
    expect(count).toBe(1);
    expect(result.map((i) => i?.name)).toEqual(Array(50).fill("Shop"));
    // Read by id, it is known by its public key too: no statement.
    const byKey = await countStatements(db, () => Promise.all(Array.from({ length: 20 }, () => findInboxByPublicKey(db, inbox.publicKey))));
    expect(byKey.count).toBe(0);
    expect(byKey.result.every((i) => i?.id === inbox.id)).toBe(true);
  });

  test("by public key too: forty widget requests for an inbox nobody has read yet send one statement", async () => {
    const db = t.database.db;
    const inbox = await createInbox(db, "Kiosk");
    const { result, count } = await countStatements(db, () => Promise.all(Array.from({ length: 40 }, () => findInboxByPublicKey(db, inbox.publicKey))));
    expect(count).toBe(1);
    expect(result.every((i) => i?.id === inbox.id)).toBe(true);
  });

  test("a change made while a read is under way: later callers read again and get the change", async () => {
    const db = t.database.db;
    const inbox = await createInbox(db, "Before");
    let answerOld!: (inbox: Inbox) => void;
    const old = cachedInbox(db, inbox.id, () => new Promise<Inbox>((resolve) => (answerOld = resolve)));
    const parsed = parseInboxSettings({ ...valuesFromInbox(inbox), name: "After" });
    if (!parsed.ok) throw new Error("settings did not parse");
    await updateInboxSettings(db, inbox.id, parsed.value);
    // The read begun before the change is still out; a caller now must not join it.
    expect((await findInbox(db, inbox.id))?.name).toBe("After");
    // When the old read comes back, its row must not replace the new one in the cache.
    answerOld(inbox);
    expect((await old)?.name).toBe("Before");
    expect((await findInbox(db, inbox.id))?.name).toBe("After");
  });

  test("a failed read fails its callers and is not kept: the next caller reads again", async () => {
    const db = t.database.db;
    const inbox = await createInbox(db, "Flaky");
    forgetInbox(db, inbox.id);
    const failing = Promise.reject(new Error("connection lost"));
    failing.catch(() => {});
    const callers = [cachedInbox(db, inbox.id, () => failing), cachedInbox(db, inbox.id, () => Promise.resolve(undefined))];
    for (const caller of callers) await expect(caller).rejects.toThrow("connection lost");
    expect((await findInbox(db, inbox.id))?.name).toBe("Flaky");
  });
});
