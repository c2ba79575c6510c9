import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversationDeps } from "../app-context.ts";
import { contacts, conversations, inboxes } from "../db/schema/index.ts";
import { insertAgent } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { drainQueues } from "./round-robin.ts";

// Several instances drain at once (each runs its own on its own kicks). On PostgreSQL these runs
// really overlap, each in its own connection; the row locks must still keep every agent within the limit.
describe(`round-robin under concurrent runs (${storageMode})`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test("three runs at once over eight waiting conversations give two agents with a limit of 2 exactly two each", async () => {
    const db = t.database.db;
    const [inbox] = await db.insert(inboxes).values({ name: "Busy", publicKey: "pk_busy", identitySecret: "s", assignmentMode: "round_robin", maxOpenPerAgent: 2 }).returning();
    const start = Date.now() - 60_000;
    for (let i = 0; i < 8; i++) {
      const [contact] = await db.insert(contacts).values({ inboxId: inbox!.id }).returning();
      const queuedAt = new Date(start + i * 1000);
      await db.insert(conversations).values({ inboxId: inbox!.id, contactId: contact!.id, status: "queued", queuedAt, queueEnteredAt: queuedAt, firstQueuedAt: queuedAt });
    }
    const [a, b] = [await insertAgent(db, "A"), await insertAgent(db, "B")];
    const online = async () => new Set([a.id, b.id]);
    // The app's own drainer must not join in: these are the only runs.
    await t.ctx.queueDrainer.stop();
    const deps = { ...conversationDeps(t.ctx), queueDrain: undefined };
    const given = await Promise.all([drainQueues(deps, online), drainQueues(deps, online), drainQueues(deps, online)]);
    expect(given.reduce((x, y) => x + y, 0)).toBe(4);
    const rows = await db.select().from(conversations).where(eq(conversations.inboxId, inbox!.id));
    const owned = (id: string) => rows.filter((c) => c.status === "assigned" && c.assigneeId === id).length;
    expect([owned(a.id), owned(b.id)]).toEqual([2, 2]);
    // The four that waited longest went out; the rest keep their order in the queue.
    const queued = rows.filter((c) => c.status === "queued").map((c) => c.queuedAt!.getTime()).sort();
    expect(queued).toEqual([4, 5, 6, 7].map((i) => start + i * 1000));
  });
});
