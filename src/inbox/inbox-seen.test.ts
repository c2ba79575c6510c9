// agents.inbox_seen_at, which says on every instance since when an agent has had no inbox open
// (the email alerts read it with presence): written when an inbox socket opens and when it closes,
// and once a minute while one is open, never per frame. Time runs on a manual clock.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { agents } from "../db/schema/index.ts";
import { silentLogger } from "../log/logger.ts";
import type { Presence } from "../realtime/presence.ts";
import { redisPresence } from "../realtime/redis-presence.ts";
import { topics } from "../realtime/topics.ts";
import { busBarrier } from "../testing/bus-barrier.ts";
import { eventually } from "../testing/eventually.ts";
import { signedInTeam, type TeamMember } from "../testing/fixtures.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

const testRedisUrl = process.env.TEST_REDIS_URL?.trim() || null;
const MINUTE = 60_000;

describe(`when an agent last had an inbox open (${storageMode}${testRedisUrl ? ", Redis presence" : ""})`, () => {
  let t: TestApp;
  let ben: TeamMember;
  let url: string;
  const clock = new ManualClock(Date.now());
  /** Another instance's view of presence (Redis only): what every instance reads. */
  let elsewhere: Presence | null = null;

  beforeAll(async () => {
    const redis: Record<string, string> = testRedisUrl ? { REDIS_URL: testRedisUrl, SESSION_SECRET: "inbox-seen-test-secret-0123456789" } : {};
    t = await createTestApp({ env: redis, clocks: { jobs: clock } });
    url = `${t.listen().replace("http", "ws")}/ws/inbox`;
    t.ctx.jobWorker.stop();
    ({ ben } = await signedInTeam(t));
    if (testRedisUrl) elsewhere = redisPresence(testRedisUrl, silentLogger);
  });
  afterAll(async () => {
    await elsewhere?.close();
    await t.close();
  });

  const seenAt = async () => (await t.database.db.select({ at: agents.inboxSeenAt }).from(agents).where(eq(agents.id, ben.id)))[0]!.at?.getTime() ?? null;
  const connected = async () => (await t.ctx.presence.onlineAgentIds()).has(ben.id) && (!elsewhere || (await elsewhere.onlineAgentIds()).has(ben.id));
  const disconnected = async () => !(await t.ctx.presence.onlineAgentIds()).has(ben.id) && (!elsewhere || !(await elsewhere.onlineAgentIds()).has(ben.id));

  async function inboxPage(): Promise<TestSocket> {
    const socket = await openSocket(url, { cookie: ben.cookie, origin: TEST_ORIGIN });
    await socket.waitFor((f) => f.includes('id="live-status"'));
    return socket;
  }

  test("never set before the agent opens an inbox; opening one sets it, and presence says connected", async () => {
    expect(await seenAt()).toBeNull();
    const opened = clock.now();
    const page = await inboxPage();
    await eventually(async () => (await seenAt()) === opened, "inbox_seen_at set at the open");
    await eventually(connected, "Ben connected, as every instance sees it");

    // A frame (handled once the socket hears the inbox topic) writes nothing; each minute while
    // connected, one write (the refresh timer started with the app, at this clock's start).
    page.send({ type: "follow", page: "inbox" });
    await busBarrier(t.ctx.bus, page, topics.inbox());
    await clock.advance(30_000);
    expect(await seenAt()).toBe(opened);
    await clock.advance(30_000);
    expect(await seenAt()).toBe(opened + MINUTE);
    await clock.advance(2 * MINUTE + 20_000);
    expect(await seenAt()).toBe(opened + 3 * MINUTE);

    // The close sets it to then; with no inbox open, time passes and nothing is written.
    page.close();
    const closed = clock.now();
    await eventually(async () => (await disconnected()) && (await seenAt()) === closed, "the close recorded, and Ben disconnected everywhere");
    await clock.advance(5 * MINUTE);
    expect(await seenAt()).toBe(closed);
  });

  test("with two tabs, closing one sets the time and the other keeps it fresh until it closes too", async () => {
    const [first, second] = [await inboxPage(), await inboxPage()];
    first.close();
    const closedOne = clock.now();
    await eventually(async () => (await seenAt()) === closedOne, "the first close recorded");
    expect(await connected()).toBe(true);
    // The refresh comes within the minute (its timer keeps its own phase).
    await clock.advance(MINUTE);
    const refreshed = (await seenAt())!;
    expect(refreshed).toBeGreaterThan(closedOne);
    expect(refreshed).toBeGreaterThanOrEqual(clock.now() - MINUTE);
    await clock.advance(10_000);
    second.close();
    const closedBoth = clock.now();
    await eventually(async () => (await disconnected()) && (await seenAt()) === closedBoth, "the last close recorded, and Ben disconnected");
    await clock.advance(3 * MINUTE);
    expect(await seenAt()).toBe(closedBoth);
  });
});
