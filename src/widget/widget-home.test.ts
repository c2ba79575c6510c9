// What the widget's home and away card learn from the session (issue 18 item 13, issue 17's
// leftover): a few of the team as first names and initials, online ones first; and within business
// hours, when today's hours end.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { agents, inboxes } from "../db/schema/index.ts";
import { insertAgent, signedInAdmin } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { requestSession, wsUrl } from "../testing/widget-client.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";
import { faceOf, teamFaces } from "./team-faces.ts";

type SessionInbox = { agentsOnline: boolean; open: boolean; until: string | null; team: Array<{ name: string; initials: string }> };

test("a face is a first name and up to two initials", () => {
  expect(faceOf("Ana Maria Admin")).toEqual({ name: "Ana", initials: "AA" });
  expect(faceOf("  sam ")).toEqual({ name: "sam", initials: "S" });
  // A name typed as an email address: never the address.
  expect(faceOf("ana.lee@example.com")).toEqual({ name: "ana.lee", initials: "A" });
  expect(faceOf("Émile Zola")).toEqual({ name: "Émile", initials: "ÉZ" });
});

describe(`the widget's home from the session (${storageMode})`, () => {
  let t: TestApp;
  let base: string;
  let socket: TestSocket | null = null;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp();
    base = t.listen();
    const cookie = await signedInAdmin(t); // Ana
    for (const name of ["Ben Baker", "Cleo Chen", "Dan Dorn"]) await insertAgent(t.database.db, name);
    socket = await openSocket(wsUrl(base, "/ws/inbox"), { cookie, origin: TEST_ORIGIN }); // Ana is online
  });
  afterAll(async () => {
    socket?.close();
    await t.close();
  });

  async function session(values: Partial<typeof inboxes.$inferInsert> = {}): Promise<SessionInbox> {
    const [inbox] = await t.database.db.insert(inboxes).values({ name: "Shop", publicKey: `pk_home_${++n}`, identitySecret: "s", timeZone: "UTC", ...values }).returning();
    const res = await requestSession(base, { inbox: inbox!.publicKey });
    return ((await res.json()) as { inbox: SessionInbox }).inbox;
  }

  test("with someone online, the home shows those online (first names and initials only)", async () => {
    expect((await session()).team).toEqual([{ name: "Ana", initials: "A" }]);
  });

  test("with nobody online, the first three of the active team; no full names leave", async () => {
    const rows = await t.database.db.select({ id: agents.id, name: agents.name }).from(agents);
    const faces = await teamFaces(t.database.db, new Set(), Date.now() + 60_000);
    expect(faces).toEqual([
      { name: "Ana", initials: "A" },
      { name: "Ben", initials: "BB" },
      { name: "Cleo", initials: "CC" },
    ]);
    expect(rows).toHaveLength(4);
    expect(JSON.stringify(faces)).not.toContain("Baker");
  });

  test("within business hours: open, and when today's hours end; outside them or without hours: no end", async () => {
    // A zone where it is about noon now (Etc/GMT-3 is UTC+3), whatever the time of the run: far from both ends of 09:00–17:00.
    const shift = 12 - new Date().getUTCHours();
    const noonZone = shift >= 0 ? `Etc/GMT-${shift}` : `Etc/GMT+${-shift}`;
    const everyDay = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, from: "09:00", to: "17:00" }));
    expect(await session({ businessHours: everyDay, timeZone: noonZone })).toMatchObject({ open: true, until: "17:00" });
    expect(await session({ businessHours: [] })).toMatchObject({ open: false, until: null });
    expect(await session()).toMatchObject({ open: true, until: null });
  });
});
