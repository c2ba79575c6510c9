// Analytics against a week computed by hand. Every row is inserted with exact timestamps, in the
// shape src/conversations/service.ts leaves them (the same events, actors and data; the
// conversation's columns follow its messages). Times below are UTC ("Z"); the account's zone is
// Europe/Berlin, which is UTC+1 until 2025-03-30 02:00 local and UTC+2 after (that day has 23 hours).
//
// The range is 2025-03-28..2025-03-31 in Berlin: [2025-03-27T23:00Z, 2025-03-31T22:00Z).
//
//   C1 reopened and closed twice (immediate handoff; the customer's reopens go back to Ana)
//      created + queued 03-28 09:00; Ana claims 09:02; Ana answers 09:05; Ana closes 10:00;
//      customer reopens 03-29 08:00; Ana answers 08:10; closes 08:30; customer reopens 03-30 12:00;
//      Ana answers 12:10; closes 13:00.
//   C2 reassigned from Ana to Ben: created + queued 03-28 12:00; Ana claims 12:10; answers 12:20;
//      Ana assigns it to Ben 13:00; customer writes 13:02; Ben answers 13:05. Open, Ben's.
//   C3 closed across midnight in Berlin: created + queued 03-28 21:30 (22:30 local); Ben claims
//      21:40, answers 21:45, closes 23:30 (00:30 on 03-29 in Berlin, still 03-28 in UTC).
//   C4 bot, handed off later: created 03-28 23:20 (00:20 on 03-29 in Berlin) with the greeting;
//      the customer asks for a person 23:50 (queued); Cleo claims 03-29 00:10, answers 00:30,
//      unassigns 00:40; Ben claims 01:00, answers 01:05, closes 02:00. Cleo is deactivated since.
//   C5 never answered: created + queued 03-31 08:00, the customer writes 08:00 and 08:05. Queued.
//      Its customer is called "=cmd()".
//   C6 assigned from the queue by a colleague: created + queued 03-30 10:00; Ana assigns it to Ben
//      10:30; nobody has answered. Its customer's name is HTML, with a comma and quotes.
//   C7 started before the range: created + queued 03-27 20:00 (21:00 local, 03-27); Ana claims
//      03-28 07:00, answers 07:30. Open, Ana's.
//   C8 started after the range in Berlin: created 03-31 22:30 (00:30 on 04-01 local), bot.
//   C9 back to the queue after its first response: created + queued 03-29 09:00; Cleo claims 09:01,
//      answers 09:03, closes 09:10; Cleo leaves (deactivated 03-29 12:00), so the customer's reopen
//      03-30 09:00 puts it in the queue (queued_at moves to 09:00); Ana claims 09:20, answers 09:25.
//   Tickets: open/high 03-29 10:00, pending/urgent 03-30 10:00, resolved/low 03-31 21:30 (23:30
//      local), and open/normal 03-20 (before the range).
//
// By hand, for the Berlin range:
//   Conversations per day: 03-28: C1 C2 C3 = 3; 03-29: C4 C9 = 2; 03-30: C6 = 1; 03-31: C5 = 1.
//   First responses: C1 300 s (Ana), C2 1200 (Ana), C3 900 (Ben), C4 2400 from the handoff, not
//     from creation (Cleo), C7 41400 (Ana), C9 180 from its first queueing, not the later one
//     (Cleo). Sorted 180 300 900 1200 2400 41400: median (900 + 1200) / 2 = 1050;
//     p90 at position 0.9 x 5 = 4.5: 2400 + 0.5 x (41400 - 2400) = 21900.
//     Per agent: Ana 300 1200 41400 -> 1200; Ben 900; Cleo 2400 180 -> 1290.
//   Resolutions: C1 3600 (from creation), 1800 (from the reopen 08:00), 3600 (from the reopen 12:00);
//     C3 7200; C4 9600 (from creation); C9 600. Sorted 600 1800 3600 3600 7200 9600: median 3600;
//     p90 at 4.5: 7200 + 0.5 x 2400 = 8400.
//   Queue waits: C1 120; C2 600 (the reassignment ended no wait); C3 600; C4 1200 (queued 23:50 ->
//     Cleo 00:10) and 1200 (unassigned 00:40 -> Ben 01:00); C6 1800 (assigned from the queue);
//     C7 39600; C9 60 (queued 09:00 -> Cleo 09:01) and 1200 (reopened 03-30 09:00 -> Ana 09:20).
//     Sorted 60 120 600 600 1200 1200 1200 1800 39600: median 1200;
//     p90 at 0.9 x 8 = 7.2: 1800 + 0.2 x (39600 - 1800) = 9360.
//   Agents: Ana handled C1 C2 C7 C9 = 4, open now C7 C9 = 2; Ben handled C2 C3 C4 = 3, open now
//     C2 C6 = 2; Cleo (deactivated) handled C4 C9 = 2, open 0; Dan (deactivated, nothing in the
//     range) is not listed.
//   Needs attention now: C6 (last customer message 03-30 10:00, never answered), then C5 (03-31 08:05).
//   Tickets: open/high 1, pending/urgent 1, resolved/low 1; the one from 03-20 is outside.
//
// And for the single day 2025-03-28: in Berlin [03-27T23:00Z, 03-28T23:00Z) C3's close (23:30Z)
// falls on the next day, so there is one resolution (C1's first, 3600); in UTC both count, median
// (3600 + 7200) / 2 = 5400. Conversations that day: 3 in Berlin (C1 C2 C3), 4 in UTC (and C4).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Db } from "../db/database.ts";
import { agents, contacts, conversationEvents, conversations, messages, tickets } from "../db/schema/index.ts";
import { signedInTeam } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { defuseFormula } from "./csv.ts";
import { parseRange, type DayRange, type Figure } from "./model.ts";
import { figureTable, report, type Cell } from "./service.ts";

const BERLIN = "Europe/Berlin";
const at = (iso: string) => new Date(iso);

type Actor = "customer" | "system" | { agent: string };
type Sender = "customer" | "bot" | { agent: string };

interface Story {
  contact: string;
  createdAt: string;
  status: "bot" | "queued" | "assigned" | "closed";
  assigneeId?: string;
  queuedAt?: string;
  closedAt?: string;
  events: [type: string, at: string, actor: Actor, data?: Record<string, unknown>][];
  messages: [sender: Sender, at: string][];
}

let inboxId: string;

/** A conversation with its events and messages; the columns the message path keeps follow the messages. */
async function insertStory(db: Db, s: Story): Promise<string> {
  const [contact] = await db.insert(contacts).values({ inboxId, name: s.contact, createdAt: at(s.createdAt) }).returning();
  const sorted = [...s.messages].sort((a, b) => a[1].localeCompare(b[1]));
  const lastOf = (kind: "customer" | "agent") => sorted.filter(([who]) => (kind === "agent" ? typeof who === "object" : who === kind)).at(-1)?.[1];
  const firstAgent = sorted.find(([who]) => typeof who === "object")?.[1];
  const [conversation] = await db
    .insert(conversations)
    .values({
      inboxId,
      contactId: contact!.id,
      status: s.status,
      assigneeId: s.assigneeId ?? null,
      queuedAt: s.queuedAt ? at(s.queuedAt) : null,
      closedAt: s.closedAt ? at(s.closedAt) : null,
      firstResponseAt: firstAgent ? at(firstAgent) : null,
      lastCustomerMessageAt: lastOf("customer") ? at(lastOf("customer")!) : null,
      lastAgentMessageAt: lastOf("agent") ? at(lastOf("agent")!) : null,
      lastSeq: sorted.length,
      lastActivityAt: at(sorted.at(-1)?.[1] ?? s.createdAt),
      createdAt: at(s.createdAt),
    })
    .returning();
  const id = conversation!.id;
  for (const [type, when, actor, data] of s.events) {
    await db.insert(conversationEvents).values({
      conversationId: id,
      type,
      actorType: typeof actor === "object" ? "agent" : actor,
      actorAgentId: typeof actor === "object" ? actor.agent : null,
      data: data ?? {},
      createdAt: at(when),
    });
  }
  let seq = 0;
  for (const [who, when] of sorted) {
    await db.insert(messages).values({
      conversationId: id,
      seq: ++seq,
      sender: typeof who === "object" ? "agent" : who,
      agentId: typeof who === "object" ? who.agent : null,
      clientId: `m${seq}`,
      body: "…",
      createdAt: at(when),
    });
  }
  return id;
}

function rangeOf(query: { range?: string; from?: string; to?: string }, timeZone = BERLIN): DayRange {
  const parsed = parseRange(query, timeZone);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.range;
}

const WEEK = { from: "2025-03-28", to: "2025-03-31" };

async function csvRows(db: Db, figure: Figure, range: DayRange, pageRows?: number): Promise<Cell[][]> {
  const table = await figureTable(db, figure, range, pageRows);
  const rows: Cell[][] = [table.header];
  for await (const row of table.rows) rows.push(row);
  return rows;
}

describe(`analytics over a week computed by hand (${storageMode})`, () => {
  let t: TestApp;
  let db: Db;
  let ana: { id: string; cookie: string };
  let ben: { id: string; cookie: string };
  let cleo: string;
  /** The conversations' ids, by the names in the comment at the top. */
  const c = {} as Record<"C1" | "C2" | "C3" | "C4" | "C5" | "C6" | "C7" | "C8" | "C9", string>;

  beforeAll(async () => {
    t = await createTestApp({ env: { TIME_ZONE: BERLIN } });
    db = t.database.db;
    const team = await signedInTeam(t, { handoffMode: "immediate" });
    ({ ana, ben } = team);
    inboxId = team.inbox.id;
    const [cleoRow] = await db.insert(agents).values({ name: "Cleo", email: "cleo@example.com", passwordHash: "x", deactivatedAt: at("2025-03-29T12:00Z") }).returning();
    cleo = cleoRow!.id;
    await db.insert(agents).values({ name: "Dan", email: "dan@example.com", passwordHash: "x", deactivatedAt: at("2025-01-01T00:00Z") });
    const A = { agent: ana.id };
    const B = { agent: ben.id };
    const C = { agent: cleo };

    c.C1 = await insertStory(db, {
      contact: "Carla One",
      createdAt: "2025-03-28T09:00:00Z",
      status: "closed",
      assigneeId: ana.id,
      queuedAt: "2025-03-28T09:00:00Z",
      closedAt: "2025-03-30T13:00:00Z",
      events: [
        ["created", "2025-03-28T09:00:00Z", "customer"],
        ["queued", "2025-03-28T09:00:00Z", "system"],
        ["claimed", "2025-03-28T09:02:00Z", A, { from: "queued" }],
        ["closed", "2025-03-28T10:00:00Z", A, { from: "assigned" }],
        ["reopened", "2025-03-29T08:00:00Z", "customer"],
        ["closed", "2025-03-29T08:30:00Z", A, { from: "assigned" }],
        ["reopened", "2025-03-30T12:00:00Z", "customer"],
        ["closed", "2025-03-30T13:00:00Z", A, { from: "assigned" }],
      ],
      messages: [
        ["customer", "2025-03-28T09:00:00Z"],
        [A, "2025-03-28T09:05:00Z"],
        ["customer", "2025-03-29T08:00:00Z"],
        [A, "2025-03-29T08:10:00Z"],
        ["customer", "2025-03-30T12:00:00Z"],
        [A, "2025-03-30T12:10:00Z"],
      ],
    });
    c.C2 = await insertStory(db, {
      contact: "Carl Two",
      createdAt: "2025-03-28T12:00:00Z",
      status: "assigned",
      assigneeId: ben.id,
      queuedAt: "2025-03-28T12:00:00Z",
      events: [
        ["created", "2025-03-28T12:00:00Z", "customer"],
        ["queued", "2025-03-28T12:00:00Z", "system"],
        ["claimed", "2025-03-28T12:10:00Z", A, { from: "queued" }],
        ["assigned", "2025-03-28T13:00:00Z", A, { from: ana.id, to: ben.id }],
      ],
      messages: [
        ["customer", "2025-03-28T12:00:00Z"],
        [A, "2025-03-28T12:20:00Z"],
        ["customer", "2025-03-28T13:02:00Z"],
        [B, "2025-03-28T13:05:00Z"],
      ],
    });
    c.C3 = await insertStory(db, {
      contact: "Cem Three",
      createdAt: "2025-03-28T21:30:00Z",
      status: "closed",
      assigneeId: ben.id,
      queuedAt: "2025-03-28T21:30:00Z",
      closedAt: "2025-03-28T23:30:00Z",
      events: [
        ["created", "2025-03-28T21:30:00Z", "customer"],
        ["queued", "2025-03-28T21:30:00Z", "system"],
        ["claimed", "2025-03-28T21:40:00Z", B, { from: "queued" }],
        ["closed", "2025-03-28T23:30:00Z", B, { from: "assigned" }],
      ],
      messages: [
        ["customer", "2025-03-28T21:30:00Z"],
        [B, "2025-03-28T21:45:00Z"],
      ],
    });
    c.C4 = await insertStory(db, {
      contact: "Cora Four",
      createdAt: "2025-03-28T23:20:00Z",
      status: "closed",
      assigneeId: ben.id,
      queuedAt: "2025-03-28T23:50:00Z",
      closedAt: "2025-03-29T02:00:00Z",
      events: [
        ["created", "2025-03-28T23:20:00Z", "customer"],
        ["queued", "2025-03-28T23:50:00Z", "customer"],
        ["claimed", "2025-03-29T00:10:00Z", C, { from: "queued" }],
        ["unassigned", "2025-03-29T00:40:00Z", C, { from: cleo }],
        ["claimed", "2025-03-29T01:00:00Z", B, { from: "queued" }],
        ["closed", "2025-03-29T02:00:00Z", B, { from: "assigned" }],
      ],
      messages: [
        ["customer", "2025-03-28T23:20:00Z"],
        ["bot", "2025-03-28T23:20:00.001Z"],
        [C, "2025-03-29T00:30:00Z"],
        [B, "2025-03-29T01:05:00Z"],
      ],
    });
    c.C5 = await insertStory(db, {
      contact: "=cmd()",
      createdAt: "2025-03-31T08:00:00Z",
      status: "queued",
      queuedAt: "2025-03-31T08:00:00Z",
      events: [
        ["created", "2025-03-31T08:00:00Z", "customer"],
        ["queued", "2025-03-31T08:00:00Z", "system"],
      ],
      messages: [
        ["customer", "2025-03-31T08:00:00Z"],
        ["customer", "2025-03-31T08:05:00Z"],
      ],
    });
    c.C6 = await insertStory(db, {
      contact: '<img src=x onerror=alert(1)>, "Sam"',
      createdAt: "2025-03-30T10:00:00Z",
      status: "assigned",
      assigneeId: ben.id,
      queuedAt: "2025-03-30T10:00:00Z",
      events: [
        ["created", "2025-03-30T10:00:00Z", "customer"],
        ["queued", "2025-03-30T10:00:00Z", "system"],
        ["assigned", "2025-03-30T10:30:00Z", A, { from: null, to: ben.id }],
      ],
      messages: [["customer", "2025-03-30T10:00:00Z"]],
    });
    c.C7 = await insertStory(db, {
      contact: "Cyd Seven",
      createdAt: "2025-03-27T20:00:00Z",
      status: "assigned",
      assigneeId: ana.id,
      queuedAt: "2025-03-27T20:00:00Z",
      events: [
        ["created", "2025-03-27T20:00:00Z", "customer"],
        ["queued", "2025-03-27T20:00:00Z", "system"],
        ["claimed", "2025-03-28T07:00:00Z", A, { from: "queued" }],
      ],
      messages: [
        ["customer", "2025-03-27T20:00:00Z"],
        [A, "2025-03-28T07:30:00Z"],
      ],
    });
    c.C8 = await insertStory(db, {
      contact: "Cy Eight",
      createdAt: "2025-03-31T22:30:00Z",
      status: "bot",
      events: [["created", "2025-03-31T22:30:00Z", "customer"]],
      messages: [
        ["customer", "2025-03-31T22:30:00Z"],
        ["bot", "2025-03-31T22:30:00.001Z"],
      ],
    });
    c.C9 = await insertStory(db, {
      contact: "Cleo's customer",
      createdAt: "2025-03-29T09:00:00Z",
      status: "assigned",
      assigneeId: ana.id,
      // Moved by the reopen: the queue place of its second wait.
      queuedAt: "2025-03-30T09:00:00Z",
      events: [
        ["created", "2025-03-29T09:00:00Z", "customer"],
        ["queued", "2025-03-29T09:00:00Z", "system"],
        ["claimed", "2025-03-29T09:01:00Z", C, { from: "queued" }],
        ["closed", "2025-03-29T09:10:00Z", C, { from: "assigned" }],
        ["reopened", "2025-03-30T09:00:00Z", "customer"],
        ["claimed", "2025-03-30T09:20:00Z", A, { from: "queued" }],
      ],
      messages: [
        ["customer", "2025-03-29T09:00:00Z"],
        [C, "2025-03-29T09:03:00Z"],
        ["customer", "2025-03-30T09:00:00Z"],
        [A, "2025-03-30T09:25:00Z"],
      ],
    });
    const ticket = (status: "open" | "pending" | "resolved", priority: "low" | "normal" | "high" | "urgent", createdAt: string) =>
      db.insert(tickets).values({ title: "Follow up", status, priority, createdAt: at(createdAt), updatedAt: at(createdAt) });
    await ticket("open", "high", "2025-03-29T10:00:00Z");
    await ticket("pending", "urgent", "2025-03-30T10:00:00Z");
    await ticket("resolved", "low", "2025-03-31T21:30:00Z");
    await ticket("open", "normal", "2025-03-20T10:00:00Z");
  });
  afterAll(() => t.close());

  test("conversations per day count by the local day, days without any show 0", async () => {
    const r = await report(db, rangeOf(WEEK));
    expect(r.perDay).toEqual([
      { day: "2025-03-28", conversations: 3 },
      { day: "2025-03-29", conversations: 2 },
      { day: "2025-03-30", conversations: 1 },
      { day: "2025-03-31", conversations: 1 },
    ]);
    const utc = await report(db, rangeOf(WEEK, "UTC"));
    expect(utc.perDay).toEqual([
      { day: "2025-03-28", conversations: 4 },
      { day: "2025-03-29", conversations: 1 },
      { day: "2025-03-30", conversations: 1 },
      { day: "2025-03-31", conversations: 2 },
    ]);
  });

  test("first response, resolution and queue wait: medians and 90th percentiles", async () => {
    const r = await report(db, rangeOf(WEEK));
    expect(r.firstResponse).toEqual({ count: 6, median: 1050, p90: 21900 });
    expect(r.resolution).toEqual({ count: 6, median: 3600, p90: 8400 });
    expect(r.queueWait).toEqual({ count: 9, median: 1200, p90: 9360 });
  });

  test("a close just after midnight in Berlin counts on the next day there, and on the same day in UTC", async () => {
    const day = { from: "2025-03-28", to: "2025-03-28" };
    const berlin = await report(db, rangeOf(day));
    expect(berlin.resolution).toEqual({ count: 1, median: 3600, p90: 3600 });
    expect(berlin.perDay).toEqual([{ day: "2025-03-28", conversations: 3 }]);
    const utc = await report(db, rangeOf(day, "UTC"));
    expect(utc.resolution.count).toBe(2);
    expect(utc.resolution.median).toBe(5400);
    expect(utc.perDay).toEqual([{ day: "2025-03-28", conversations: 4 }]);
  });

  test("per agent: conversations handled, median first response, open now; a deactivated agent with work stays", async () => {
    const r = await report(db, rangeOf(WEEK));
    expect(r.agents.map(({ id: _, ...a }) => a)).toEqual([
      { name: "Ana", deactivated: false, handled: 4, firstResponses: 3, medianFirstResponse: 1200, openNow: 2 },
      { name: "Ben", deactivated: false, handled: 3, firstResponses: 1, medianFirstResponse: 900, openNow: 2 },
      { name: "Cleo", deactivated: true, handled: 2, firstResponses: 2, medianFirstResponse: 1290, openNow: 0 },
    ]);
  });

  test("needs attention now lists unanswered open conversations, longest waiting first", async () => {
    const r = await report(db, rangeOf(WEEK));
    expect(r.attention.total).toBe(2);
    expect(r.attention.oldest.map((a) => [a.id, a.status, a.assigneeName, a.lastCustomerMessageAt.toISOString()])).toEqual([
      [c.C6, "assigned", "Ben", "2025-03-30T10:00:00.000Z"],
      [c.C5, "queued", null, "2025-03-31T08:05:00.000Z"],
    ]);
  });

  test("tickets created in the range, by status and priority, every cell present", async () => {
    const r = await report(db, rangeOf(WEEK));
    expect(r.tickets).toHaveLength(16);
    expect(r.tickets.filter((t) => t.tickets > 0)).toEqual([
      { status: "open", priority: "high", tickets: 1 },
      { status: "pending", priority: "urgent", tickets: 1 },
      { status: "resolved", priority: "low", tickets: 1 },
    ]);
  });

  test("a range with nothing in it gives zeros and no medians", async () => {
    const r = await report(db, rangeOf({ from: "2024-01-01", to: "2024-01-07" }));
    expect(r.perDay.map((d) => d.conversations)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(r.firstResponse).toEqual({ count: 0, median: null, p90: null });
    expect(r.resolution).toEqual({ count: 0, median: null, p90: null });
    expect(r.queueWait).toEqual({ count: 0, median: null, p90: null });
    // Active agents are listed with nothing to show; deactivated ones without work are not.
    expect(r.agents.map((a) => [a.name, a.handled])).toEqual([
      ["Ana", 0],
      ["Ben", 0],
    ]);
  });

  test("the CSV rows behind each duration are the ones counted by hand", async () => {
    const range = rangeOf(WEEK);
    expect(await csvRows(db, "first-responses", range)).toEqual([
      ["conversation_id", "customer", "customer_email", "waiting_since", "first_response_at", "seconds", "agent"],
      [c.C7, "Cyd Seven", null, "2025-03-27T20:00:00Z", "2025-03-28T07:30:00Z", 41400, "Ana"],
      [c.C1, "Carla One", null, "2025-03-28T09:00:00Z", "2025-03-28T09:05:00Z", 300, "Ana"],
      [c.C2, "Carl Two", null, "2025-03-28T12:00:00Z", "2025-03-28T12:20:00Z", 1200, "Ana"],
      [c.C3, "Cem Three", null, "2025-03-28T21:30:00Z", "2025-03-28T21:45:00Z", 900, "Ben"],
      [c.C4, "Cora Four", null, "2025-03-28T23:50:00Z", "2025-03-29T00:30:00Z", 2400, "Cleo"],
      [c.C9, "Cleo's customer", null, "2025-03-29T09:00:00Z", "2025-03-29T09:03:00Z", 180, "Cleo"],
    ]);
    expect((await csvRows(db, "resolutions", range)).map((r) => [r[0], r[3], r[5], r[6]])).toEqual([
      ["conversation_id", "episode_started_at", "seconds", "closed_by"],
      [c.C1, "2025-03-28T09:00:00Z", 3600, "Ana"],
      [c.C3, "2025-03-28T21:30:00Z", 7200, "Ben"],
      [c.C4, "2025-03-28T23:20:00Z", 9600, "Ben"],
      [c.C1, "2025-03-29T08:00:00Z", 1800, "Ana"],
      [c.C9, "2025-03-29T09:00:00Z", 600, "Cleo"],
      [c.C1, "2025-03-30T12:00:00Z", 3600, "Ana"],
    ]);
    expect((await csvRows(db, "queue-waits", range)).map((r) => [r[0], r[5], r[6], r[7]])).toEqual([
      ["conversation_id", "seconds", "taken_by", "how"],
      [c.C7, 39600, "Ana", "claimed"],
      [c.C1, 120, "Ana", "claimed"],
      [c.C2, 600, "Ana", "claimed"],
      [c.C3, 600, "Ben", "claimed"],
      [c.C4, 1200, "Cleo", "claimed"],
      [c.C4, 1200, "Ben", "claimed"],
      [c.C9, 60, "Cleo", "claimed"],
      [c.C9, 1200, "Ana", "claimed"],
      [c.C6, 1800, "Ben", "assigned"],
    ]);
  });

  test("the other CSVs: days, agents, attention and tickets", async () => {
    const range = rangeOf(WEEK);
    expect(await csvRows(db, "conversations-per-day", range)).toEqual([
      ["day", "conversations"],
      ["2025-03-28", 3],
      ["2025-03-29", 2],
      ["2025-03-30", 1],
      ["2025-03-31", 1],
    ]);
    expect(await csvRows(db, "agents", range)).toEqual([
      ["agent", "deactivated", "conversations_handled", "first_responses", "median_first_response_seconds", "open_now"],
      ["Ana", "no", 4, 3, 1200, 2],
      ["Ben", "no", 3, 1, 900, 2],
      ["Cleo", "yes", 2, 2, 1290, 0],
    ]);
    expect(await csvRows(db, "attention", range)).toEqual([
      ["conversation_id", "customer", "customer_email", "status", "assignee", "last_customer_message_at"],
      [c.C6, '<img src=x onerror=alert(1)>, "Sam"', null, "assigned", "Ben", "2025-03-30T10:00:00Z"],
      [c.C5, "=cmd()", null, "queued", null, "2025-03-31T08:05:00Z"],
    ]);
    const ticketRows = await csvRows(db, "tickets", range);
    expect(ticketRows).toHaveLength(17);
    expect(ticketRows).toContainEqual(["pending", "urgent", 1]);
    expect(ticketRows).toContainEqual(["closed", "low", 0]);
  });

  test("long downloads are read a page at a time and lose or repeat no row", async () => {
    const range = rangeOf(WEEK);
    for (const figure of ["first-responses", "resolutions", "queue-waits", "attention"] as const) {
      expect(await csvRows(db, figure, range, 2)).toEqual(await csvRows(db, figure, range));
    }
  });

  test("a cell a spreadsheet would run as a formula is made text; numbers stay numbers", () => {
    expect(defuseFormula("=cmd()")).toBe("'=cmd()");
    expect(defuseFormula("+1")).toBe("'+1");
    expect(defuseFormula("-2")).toBe("'-2");
    expect(defuseFormula("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(defuseFormula("Ana")).toBe("Ana");
    expect(defuseFormula(-2)).toBe(-2);
    expect(defuseFormula(null)).toBeNull();
  });

  // --- the routes ---

  const page = (query: string, cookie?: string) => t.request(`/analytics${query}`, cookie ? { headers: { cookie } } : {});

  test("a signed-out visitor is sent to sign in, and back afterwards; so is a CSV download", async () => {
    const res = await page("?range=7");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?next=%2Fanalytics%3Frange%3D7");
    const csv = await t.request("/analytics/agents.csv");
    expect(csv.status).toBe(303);
  });

  test("the page shows every figure for the range, with charts described for screen readers and names escaped", async () => {
    const res = await page(`?range=custom&from=${WEEK.from}&to=${WEEK.to}`, ben.cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Fri 28 Mar 2025 to Mon 31 Mar 2025 (4 days), days in Europe/Berlin");
    // The chart is an image named by its title, with the table of its numbers beside it.
    expect(html).toContain('role="img" aria-labelledby="per-day-chart-title per-day-chart-desc"');
    expect(html).toContain('<title id="per-day-chart-title">Conversations started per day</title>');
    expect(html).toContain("Sun 30 Mar 2025: 1 conversation<");
    expect(html).toContain("Sat 29 Mar 2025: 2 conversations<");
    expect(html).toMatch(/<time datetime="2025-03-28">Fri 28 Mar 2025<\/time><\/th><td class="num">3<\/td>/);
    // Medians and percentiles as durations.
    expect(html).toContain("17 min 30 s"); // first response median, 1050 s
    expect(html).toContain("6 h 5 min"); // its p90, 21900 s
    expect(html).toContain("(deactivated)");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;, &quot;Sam&quot;");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain('href="/analytics/first-responses.csv?range=custom&from=2025-03-28&to=2025-03-31"');
    expect(html).toContain("How these are counted");
  });

  test("the presets need no dates; a range with nothing in it says so", async () => {
    const week = await page("?range=7", ana.cookie);
    expect(week.status).toBe(200);
    expect(await week.text()).toContain("(7 days)");
    const empty = await (await page("?from=2024-01-01&to=2024-01-07", ana.cookie)).text();
    expect(empty).toContain("Nothing happened in these days");
    expect(empty).toContain("No conversations were started in these days.");
    expect(empty).toContain("—");
  });

  test("a reversed or impossible custom range is refused on the page, next to the form", async () => {
    const reversed = await page("?range=custom&from=2025-03-31&to=2025-03-28", ana.cookie);
    expect(reversed.status).toBe(400);
    const html = await reversed.text();
    expect(html).toContain("The start date must be on or before the end date.");
    expect(html).toContain('value="2025-03-31"');
    expect(html).not.toContain('id="per-day-title"');
    const impossible = await page("?from=2025-02-30&to=2025-03-01", ana.cookie);
    expect(impossible.status).toBe(400);
    expect(await impossible.text()).toContain("make sure they exist");
  });

  test("a CSV download: a dated attachment, a header row, quoting, and a formula defused", async () => {
    const res = await t.request(`/analytics/attention.csv?from=${WEEK.from}&to=${WEEK.to}`, { headers: { cookie: ana.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="supportdesk-attention-2025-03-28-to-2025-03-31.csv"');
    const lines = (await res.text()).split("\r\n");
    expect(lines[0]).toBe("conversation_id,customer,customer_email,status,assignee,last_customer_message_at");
    expect(lines[1]).toBe(`${c.C6},"<img src=x onerror=alert(1)>, ""Sam""",,assigned,Ben,2025-03-30T10:00:00Z`);
    expect(lines[2]).toBe(`${c.C5},'=cmd(),,queued,,2025-03-31T08:05:00Z`);
    expect(lines[3]).toBe("");
  });

  test("a CSV for a range that cannot be read is a 400 that says why", async () => {
    const res = await t.request("/analytics/resolutions.csv?from=2024-01-01&to=2025-06-01", { headers: { cookie: ana.cookie } });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Choose at most 366 days");
    const unknown = await t.request("/analytics/nothing.csv", { headers: { cookie: ana.cookie } });
    expect(unknown.status).toBe(404);
  });
});
