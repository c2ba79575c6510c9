// Telling the queue their places, coalesced: the first change after a quiet spell at once, the
// changes within the next 250 ms once, at its end, with the places as they are then.
import { describe, expect, test } from "bun:test";
import { insertAgent } from "../testing/fixtures.ts";
import { createLogger } from "../log/logger.ts";
import { topics } from "../realtime/topics.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { storageMode } from "../testing/test-database.ts";
import { lifecycleFixture } from "./lifecycle-fixture.ts";
import { QueuePlaces } from "./queue-places.ts";
import * as service from "./service.ts";

describe(`telling the queue their places (${storageMode})`, () => {
  const { state, inbox, contact, say } = lifecycleFixture();

  test("claims in a burst: the first tells everyone behind at once; the rest once, at the window's end, with the places then", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const waiting: string[] = [];
    for (let i = 0; i < 6; i++) waiting.push((await say(shop, contact(), `help ${i}`)).conversation.id);
    const ana = await insertAgent(state.database.db, "Ana");
    const clock = new ManualClock();
    const deps = { db: state.database.db, bus: state.bus, queuePlaces: new QueuePlaces({ db: state.database.db, bus: state.bus, log: createLogger({ level: "error", format: "json" }), clock }) };
    const places = (id: string) => state.bus.on(topics.conversation(id)).flatMap((frame) => [...frame.matchAll(/"queuePosition":(\d+)/g)].map((m) => Number(m[1])));
    state.bus.sent.length = 0;

    await service.claim(deps, ana, waiting[0]!);
    // At once: everyone still waiting moved up one.
    expect(waiting.slice(1).map((id) => places(id).at(-1))).toEqual([1, 2, 3, 4, 5]);
    const toldOnce = waiting.slice(1).map((id) => places(id).length);

    await service.claim(deps, ana, waiting[1]!);
    await service.claim(deps, ana, waiting[2]!);
    // Within the window: nobody is told yet.
    expect(waiting.slice(3).map((id) => places(id).length)).toEqual(toldOnce.slice(2));
    await clock.advance(250);
    // At its end, once each, their places after both claims.
    expect(waiting.slice(3).map((id) => places(id).length)).toEqual(toldOnce.slice(2).map((n) => n + 1));
    expect(waiting.slice(3).map((id) => places(id).at(-1))).toEqual([1, 2, 3]);

    // A quiet window later, the next change is told at once again.
    await clock.advance(250);
    await service.claim(deps, ana, waiting[3]!);
    expect(waiting.slice(4).map((id) => places(id).at(-1))).toEqual([1, 2]);
  });
});
