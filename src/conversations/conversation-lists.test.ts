// The inbox's lists: pages of a tab by keyset cursor, the tab counts, and list rows pushed to
// agents together.
import { beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversations } from "../db/schema/index.ts";
import { silentLogger } from "../log/logger.ts";
import { topics } from "../realtime/topics.ts";
import { insertAgent } from "../testing/fixtures.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { waitFor } from "../testing/recording-sockets.ts";
import { storageMode, type TestDatabase } from "../testing/test-database.ts";
import { lifecycleFixture, type RecordingBus } from "./lifecycle-fixture.ts";
import { ConversationRefused } from "./model.ts";
import { RowPublisher } from "./row-publisher.ts";
import * as service from "./service.ts";

describe(`conversation lifecycle: lists (${storageMode})`, () => {
  const fixture = lifecycleFixture();
  const { deps, inbox, contact, say } = fixture;
  let database: TestDatabase;
  let bus: RecordingBus;
  beforeAll(() => void ({ database } = fixture.state));
  beforeEach(() => void ({ bus } = fixture.state));

  test("tabs page newest activity first with a keyset cursor: every row once, none skipped", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const ana = await insertAgent(database.db, "Ana");
    const created: string[] = [];
    for (let i = 0; i < 30; i++) created.push((await say(shop, contact(), `customer ${i}`)).conversation.id);
    // Same millisecond activity for a few rows: the id breaks the tie.
    const same = new Date();
    for (const id of created.slice(0, 5)) await database.db.update(conversations).set({ lastActivityAt: same }).where(eq(conversations.id, id));
    for (const id of created.slice(10, 14)) await service.claim(deps(), ana, id);
    await service.close(deps(), ana, created[10]!);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: service.Page = await service.listTab(database.db, ana.id, "open", cursor, 7);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.next;
    } while (cursor);
    const open = await database.db.select().from(conversations).where(eq(conversations.inboxId, shop.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => created.includes(id)).sort()).toEqual(created.filter((id) => id !== created[10]).sort());
    const all = await service.listTab(database.db, ana.id, "open", null, 100);
    const times = all.rows.map((r) => r.lastActivityAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(open).toHaveLength(30);

    const mine = await service.listTab(database.db, ana.id, "mine", null);
    expect(mine.rows.map((r) => r.id).sort()).toEqual(created.slice(11, 14).sort());
    const closed = await service.listTab(database.db, ana.id, "closed", null);
    expect(closed.rows.map((r) => r.id)).toContain(created[10]!);
    const queue = await service.listTab(database.db, ana.id, "queue", null, 100);
    expect(queue.rows.every((r) => r.status === "queued" && r.queuePosition !== null)).toBe(true);
    expect(queue.rows[0]!.lastMessageBody).toMatch(/^customer \d+$/);
    const counts = await service.tabCounts(database.db, ana.id, 10);
    expect(counts.mine).toBe(3);
    expect(counts.open).toBe(11); // capped: never counts the whole table
    await expect(service.listTab(database.db, ana.id, "open", "not-a-cursor")).rejects.toBeInstanceOf(ConversationRefused);
  });

  test("list rows changed together go to agents together: the first at once, the rest in one frame per interval", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const clock = new ManualClock();
    const rows = new RowPublisher({ db: database.db, bus, log: silentLogger, clock }, 200);
    const deps = { db: database.db, bus, rows };
    const [first, second] = [contact(), contact()];
    const a = (await service.customerSends(deps, { inbox: shop, contactId: first, clientId: "r0", body: "first" })).conversation;
    const b = (await service.customerSends(deps, { inbox: shop, contactId: second, clientId: "s0", body: "other" })).conversation;
    // New conversations may have entered any list: every inbox page hears them.
    await clock.advance(200);
    await clock.advance(200); // a quiet interval: the next change goes out at once again
    await waitFor("both new rows", () => bus.on(topics.inbox()).filter((f) => f.includes("conv-row-")).length === 2);
    // Then their messages, which leave them in their lists: the pages showing those hear them.
    for (let i = 1; i <= 9; i++) await service.customerSends(deps, { inbox: shop, contactId: first, clientId: `r${i}`, body: `burst ${i}` });
    await service.customerSends(deps, { inbox: shop, contactId: second, clientId: "s1", body: "other again" });
    const frames = () => bus.on(topics.inboxTab("open")).filter((f) => f.includes("conv-row-"));
    // The first change went out at once; the clock has not moved, so nothing else can have.
    await waitFor("the first row push", () => frames().length > 0);
    expect(frames()).toHaveLength(1);
    expect(frames()[0]).toContain("burst 1");
    await clock.advance(199);
    expect(frames()).toHaveLength(1);
    await clock.advance(1); // the interval ends: its flush is awaited
    expect(frames()).toHaveLength(2);
    // One frame, both rows, each with its latest state.
    expect(frames()[1]).toContain(`conv-row-${a.id}`);
    expect(frames()[1]).toContain(`conv-row-${b.id}`);
    expect(frames()[1]).toContain("burst 9");
    expect(frames()[1]).toContain("other again");
    // The messages themselves went out at once, one push each.
    expect(bus.on(topics.conversation(a.id)).filter((f) => f.includes('"type":"message"'))).toHaveLength(10);
  });

  test("a customer's burst in an assigned conversation: its agent is notified with the row, once per interval, with the latest text", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const ana = await insertAgent(database.db, "Ana");
    const customer = contact();
    const { conversation } = await say(shop, customer, "hello");
    await service.claim(deps(), ana, conversation.id);
    const clock = new ManualClock();
    const rows = new RowPublisher({ db: database.db, bus, log: silentLogger, clock }, 200);
    const publishing = { db: database.db, bus, rows };
    const notified = () => bus.on(topics.agent(ana.id)).map((f) => JSON.parse(f).notify as { title: string; body: string; conversation: string });
    for (let i = 1; i <= 5; i++) await service.customerSends(publishing, { inbox: shop, contactId: customer, clientId: `n${i}`, body: `part ${i}` });
    await service.customerSends(publishing, { inbox: shop, contactId: customer, clientId: "n5", body: "part 5" }); // a retry
    // The first went out with its row at once; the others wait for the interval's one push.
    await waitFor("the first notification", () => notified().length > 0);
    expect(notified()).toHaveLength(1);
    // (Its row is read while the burst goes on: the text is the newest that read saw.)
    expect(notified()[0]!.body).toMatch(/^part [1-5]$/);
    await clock.advance(200);
    expect(notified()).toHaveLength(2);
    expect(notified()[1]!.body).toBe("part 5");
    // A retry alone is no new message: its row may be pushed again, its agent hears nothing.
    await service.customerSends(publishing, { inbox: shop, contactId: customer, clientId: "n5", body: "part 5" });
    await clock.advance(200);
    expect(notified()).toHaveLength(2);

    // Customers of two of her conversations write within one interval: one notification names both.
    const other = contact();
    const second = (await say(shop, other, "hi")).conversation;
    await service.claim(deps(), ana, second.id);
    await service.customerSends(publishing, { inbox: shop, contactId: customer, clientId: "m1", body: "still there?" });
    await service.customerSends(publishing, { inbox: shop, contactId: other, clientId: "m2", body: "me too" });
    await clock.advance(200);
    expect(notified().slice(2)).toEqual([{ title: "New messages in 2 conversations", body: expect.stringMatching(/, /), conversation: expect.any(String) }]);
  });
});
