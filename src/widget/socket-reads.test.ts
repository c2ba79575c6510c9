// What sockets authenticating together read is read together: a reconnect storm of waiting
// customers costs a statement per batch, not one per customer (and one scan of the queue per
// customer for their places), and each still gets their own row.
import { describe, expect, test } from "bun:test";
import { inArray } from "drizzle-orm";
import { inboxListFixture } from "../conversations/inbox-list-fixture.ts";
import { conversations } from "../db/schema/index.ts";
import { countStatements } from "../testing/statements.ts";
import { storageMode } from "../testing/test-database.ts";
import { conversationOf, widgetSocketReads } from "./socket-reads.ts";

describe(`the widget's conversation reads (${storageMode})`, () => {
  const fixture = inboxListFixture();
  const { conversation } = fixture;

  test("forty customers joining at once: one statement, each their own place in the queue and their own agent", async () => {
    const db = fixture.state.t.database.db;
    const waiting: string[] = [];
    for (let i = 0; i < 40; i++) waiting.push(await conversation({ name: `Waiting ${i}` }));
    const served = await conversation({ status: "assigned", assigneeId: fixture.state.anaId, name: "Served" });
    const reads = widgetSocketReads(db);

    const { result, count } = await countStatements(db, () => Promise.all([...[...waiting].reverse(), served, "00000000-0000-4000-8000-000000000000"].map((id) => reads.conversation(id))));
    // The first join goes alone (nothing was under way); everyone arriving meanwhile goes next, together.
    expect(count).toBeLessThanOrEqual(2);
    const views = result.slice(0, 40).reverse();
    views.forEach((view, i) => expect(view).toMatchObject({ id: waiting[i], status: "queued", queuePosition: i + 1, agent: null }));
    expect(result[40]).toMatchObject({ id: served, status: "assigned", queuePosition: null, agent: { name: "Ana" } });
    expect(result[41]).toBeNull();
  });

  test("their contacts and their conversations: one statement each for all of them, each their own", async () => {
    const db = fixture.state.t.database.db;
    const inboxId = fixture.state.inboxId;
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await conversation({ name: `Returning ${i}` }));
    const rows = await db.select().from(conversations).where(inArray(conversations.id, ids));
    const contactOf = new Map(rows.map((r) => [r.id, r.contactId]));
    const reads = widgetSocketReads(db);
    const stranger = "00000000-0000-4000-8000-000000000001";

    const contacts = await countStatements(db, () => Promise.all([...ids.map((id) => reads.contact(contactOf.get(id)!)), reads.contact(stranger)]));
    expect(contacts.count).toBeLessThanOrEqual(2);
    expect(contacts.result.slice(0, 20).map((c) => c?.name)).toEqual(ids.map((_, i) => `Returning ${i}`));
    expect(contacts.result[20]).toBeUndefined();

    const found = await countStatements(db, () => Promise.all([...ids.map((id) => conversationOf(reads, inboxId, contactOf.get(id)!)), conversationOf(reads, inboxId, stranger)]));
    expect(found.count).toBeLessThanOrEqual(2);
    expect(found.result.slice(0, 20).map((c) => c?.id)).toEqual(ids);
    expect(found.result[20]).toBeUndefined();
  });
});
