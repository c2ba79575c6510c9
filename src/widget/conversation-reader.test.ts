// Joins that arrive together are read together: a reconnect storm of waiting customers costs a
// statement per batch, not one scan of the queue per customer, and each still hears its own place.
import { describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { inboxListFixture } from "../conversations/inbox-list-fixture.ts";
import { conversations } from "../db/schema/index.ts";
import { countStatements } from "../testing/statements.ts";
import { storageMode } from "../testing/test-database.ts";
import { widgetConversationReader } from "./conversation-reader.ts";

describe(`the widget's conversation reads (${storageMode})`, () => {
  const fixture = inboxListFixture();
  const { conversation } = fixture;

  test("forty customers joining at once: one statement, each their own place in the queue and their own agent", async () => {
    const db = fixture.state.t.database.db;
    const waiting: string[] = [];
    for (let i = 0; i < 40; i++) waiting.push(await conversation({ name: `Waiting ${i}` }));
    const served = await conversation({ status: "assigned", assigneeId: fixture.state.anaId, name: "Served" });
    const reader = widgetConversationReader(db);

    const { result, count } = await countStatements(db, () => Promise.all([...[...waiting].reverse(), served, "00000000-0000-4000-8000-000000000000"].map((id) => reader.read(id))));
    // The first join goes alone (nothing was under way); everyone arriving meanwhile goes next, together.
    expect(count).toBeLessThanOrEqual(2);
    const views = result.slice(0, 40).reverse();
    views.forEach((view, i) => expect(view).toMatchObject({ id: waiting[i], status: "queued", queuePosition: i + 1, agent: null }));
    expect(result[40]).toMatchObject({ id: served, status: "assigned", queuePosition: null, agent: { name: "Ana" } });
    expect(result[41]).toBeNull();
  });

  test("a join made while a read is under way reads afresh: it sees what was committed after it asked", async () => {
    const db = fixture.state.t.database.db;
    const id = await conversation({ name: "Changing" });
    const reader = widgetConversationReader(db);
    const first = reader.read(id);
    await db.update(conversations).set({ status: "assigned", assigneeId: fixture.state.anaId, queuedAt: null }).where(eq(conversations.id, id));
    const second = reader.read(id);
    expect((await second)?.status).toBe("assigned");
    expect(["queued", "assigned"]).toContain((await first)!.status);
  });
});
