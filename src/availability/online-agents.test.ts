// Whether anyone is online is asked by every widget socket that authenticates: asked together, it is
// read together (a reconnect storm asked Redis and PostgreSQL once per socket), and nobody gets an
// answer read before they asked.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { countStatements } from "../testing/statements.ts";
import { signedInTeam } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { onlineAgents } from "./online-agents.ts";
import { setAvailability } from "./queries.ts";

describe(`who is online, asked by many at once (${storageMode})`, () => {
  let t: TestApp;
  let anaId = "", benId = "";
  beforeAll(async () => {
    t = await createTestApp();
    const team = await signedInTeam(t, { name: "Help", publicKey: "pk_online" });
    [anaId, benId] = [team.ana.id, team.ben.id];
  });
  afterAll(() => t.close());

  /** Presence as Redis would answer it, each read held until `answer` (so reads can be caught in flight). */
  function heldPresence(connected: Set<string>) {
    const held: (() => void)[] = [];
    const presence = {
      reads: 0,
      connected,
      onlineAgentIds: () => {
        presence.reads++;
        const answer = new Set(presence.connected);
        return new Promise<Set<string>>((resolve) => held.push(() => resolve(answer)));
      },
      /** Answers the reads asked so far; returns how many. */
      answer: () => held.splice(0).map((release) => release()).length,
    };
    return presence;
  }

  /** Answers presence reads as they come until `done` settles. */
  async function answering<T>(presence: ReturnType<typeof heldPresence>, done: Promise<T>): Promise<T> {
    let settled = false;
    done.then(() => (settled = true), () => (settled = true));
    while (!settled) {
      presence.answer();
      await new Promise((r) => setTimeout(r, 1));
    }
    return done;
  }

  test("thirty sockets asking together: two reads of presence and two statements, each told Ana is online", async () => {
    const db = t.database.db;
    const presence = heldPresence(new Set([anaId]));
    const online = onlineAgents(db, presence);
    const { result, count } = await countStatements(db, () => answering(presence, Promise.all(Array.from({ length: 30 }, () => online.any()))));
    expect(result).toEqual(Array(30).fill(true));
    // The first asks alone; all the others arrive while it is under way and go next, together.
    expect(presence.reads).toBeLessThanOrEqual(2);
    expect(count).toBeLessThanOrEqual(2);
    expect([...(await answering(presence, online.ids()))]).toEqual([anaId]);
  });

  test("a socket asking while a read is under way gets a read made after it asked", async () => {
    const db = t.database.db;
    const presence = heldPresence(new Set([anaId]));
    const online = onlineAgents(db, presence);
    const first = online.any();
    await new Promise((r) => setTimeout(r, 5));
    expect(presence.reads).toBe(1);
    // Ana closes her tab while the first read is in flight; the next socket must not be told she is there.
    presence.connected = new Set();
    const second = online.any();
    expect(await answering(presence, first)).toBe(true);
    expect(await answering(presence, second)).toBe(false);
  });

  test("Online means connected and set to Online: Ben connected but Away is not online", async () => {
    const db = t.database.db;
    await setAvailability(db, benId, "away");
    const presence = heldPresence(new Set([benId]));
    const online = onlineAgents(db, presence);
    expect(await answering(presence, online.any())).toBe(false);
    await setAvailability(db, benId, "online");
    expect(await answering(presence, online.any())).toBe(true);
  });
});
