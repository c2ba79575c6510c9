// What the conversation lifecycle tests share: a fresh database, a bus that records what was
// published where (new for each test), inboxes, and a customer's message in one call.
import { afterAll, beforeAll, beforeEach } from "bun:test";
import { eq } from "drizzle-orm";
import { inboxes, messages } from "../db/schema/index.ts";
import { inProcessBus, type Bus, type SeqMark } from "../realtime/bus.ts";
import { freshDatabase, type TestDatabase } from "../testing/test-database.ts";
import * as service from "./service.ts";

export type RecordingBus = Bus & { sent: { topic: string; data: string; mark?: SeqMark }[]; on(topic: string): string[] };

/** A bus that remembers what was published where. */
export function recordingBus(): RecordingBus {
  const inner = inProcessBus();
  const sent: { topic: string; data: string; mark?: SeqMark }[] = [];
  return {
    ...inner,
    sent,
    publish: (topic, data, mark) => void sent.push({ topic, data, mark }),
    on: (topic) => sent.filter((s) => s.topic === topic).map((s) => s.data),
  };
}

/**
 * Call it in a describe block: it registers the hooks; `state.database` is set once beforeAll ran
 * and `state.bus` anew before each test.
 */
export function lifecycleFixture() {
  const state = { database: undefined as unknown as TestDatabase, bus: undefined as unknown as RecordingBus };
  const deps = () => ({ db: state.database.db, bus: state.bus });
  let n = 0;

  beforeAll(async () => {
    state.database = await freshDatabase();
  });
  afterAll(() => state.database.close());
  beforeEach(() => {
    state.bus = recordingBus();
  });

  async function inbox(values: Partial<typeof inboxes.$inferInsert> = {}) {
    const [row] = await state.database.db
      .insert(inboxes)
      .values({ name: "Shop", publicKey: `pk_test_${++n}_${Date.now()}`, identitySecret: "secret", ...values })
      .returning();
    return row!;
  }

  const contact = () => Bun.randomUUIDv7();
  const say = (i: Awaited<ReturnType<typeof inbox>>, contactId: string, body: string, clientId: string = crypto.randomUUID()) =>
    service.customerSends(deps(), { inbox: i, contactId, clientId, body });
  const bodies = async (conversationId: string) =>
    (await state.database.db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.seq)).map((m) => `${m.seq}:${m.sender}:${m.body}`);
  const eventTypes = async (conversationId: string) => (await service.eventsOf(state.database.db, conversationId)).map((e) => `${e.type}:${e.actorType}`);

  return { state, deps, inbox, contact, say, bodies, eventTypes };
}
