// Snooze (issue 17 item 5): a snoozed conversation leaves the open tabs for "Snoozed", and comes
// back when its time comes (the wake job, on a manual clock) or as soon as the customer writes,
// by either of the customer's paths (the full transaction and the batched statement). Closing clears it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { conversationDeps } from "../app-context.ts";
import { messagePaths } from "../conversations/message-paths.ts";
import * as conversations from "../conversations/service.ts";
import { topics } from "../realtime/topics.ts";
import { customerWrites } from "../testing/fixtures.ts";
import { storageMode } from "../testing/test-database.ts";
import { anasConversation, eventTypes, snoozedUntil, snoozeFor, snoozeSetup, tabIds, type SnoozeSetup } from "./snooze-fixture.ts";

const MINUTE = 60_000;

describe(`snooze (${storageMode})`, () => {
  let s: SnoozeSetup;
  beforeAll(async () => (s = await snoozeSetup()));
  afterAll(() => s.t.close());
  const runJobs = () => s.t.ctx.jobWorker.pass();
  const notificationsOf = (agentId: string, from: number) => s.published.slice(from).filter((p) => p.topic === topics.agent(agentId) && p.data.includes('"notify"'));

  test("snoozed for 1 hour: it leaves Queue, Mine and All open for Snoozed, and the header says until when", async () => {
    const id = await anasConversation(s, Bun.randomUUIDv7());
    expect(await tabIds(s, "mine")).toContain(id);
    const res = await snoozeFor(s, id, { preset: "hour" });
    expect(res.status).toBe(200);
    const header = await res.text();
    expect(header).toContain("Snoozed until");
    expect(header).toContain("2026-12-07 11:00 UTC");
    expect(header).toContain("Unsnooze");
    for (const tab of ["open", "mine", "queue"] as const) expect(await tabIds(s, tab)).not.toContain(id);
    expect(await tabIds(s, "snoozed")).toContain(id);
    const counts = await conversations.tabCounts(s.t.database.db, s.ana.id);
    expect(counts.snoozed).toBeGreaterThanOrEqual(1);
    expect(await eventTypes(s, id, "snoozed")).toEqual(["agent"]);
    // Every inbox page hears that the row moved (its list then asks for itself again).
    expect(s.published.some((p) => p.topic === topics.inbox() && p.data.includes(`conv-row-${id}`))).toBe(true);
  });

  test("it returns on time: not a minute early; then back in the lists, with an event and Ana notified", async () => {
    const id = await anasConversation(s, Bun.randomUUIDv7(), "my order is late");
    await snoozeFor(s, id, { preset: "hour" });
    await s.clock.advance(59 * MINUTE);
    await runJobs();
    expect(await snoozedUntil(s, id)).not.toBeNull();
    const from = s.published.length;
    await s.clock.advance(MINUTE);
    await runJobs();
    expect(await snoozedUntil(s, id)).toBeNull();
    expect(await tabIds(s, "open")).toContain(id);
    expect(await tabIds(s, "mine")).toContain(id);
    expect(await tabIds(s, "snoozed")).not.toContain(id);
    expect(await eventTypes(s, id, "unsnoozed")).toEqual(["system"]);
    // (The first test's conversation wakes at the same minute: its notice is its own.)
    const notice = notificationsOf(s.ana.id, from).find((p) => p.data.includes(id));
    expect(JSON.parse(notice!.data).notify).toMatchObject({ title: expect.stringMatching(/^Back from snooze: Visitor \d{4}$/), body: "my order is late", conversation: id });
    // The header Ana may have open shows it awake, with its timeline's event.
    const pushed = s.published.slice(from).find((p) => p.topic === topics.conversationAgents(id))!.data;
    expect(pushed).toContain("Back from snooze");
    expect(pushed).not.toContain("Snoozed until");
  });

  test("it returns as soon as the customer writes (the full path); its job later does nothing", async () => {
    const contact = Bun.randomUUIDv7();
    const id = await anasConversation(s, contact);
    await snoozeFor(s, id, { preset: "tomorrow" });
    expect(await tabIds(s, "open")).not.toContain(id);
    const from = s.published.length;
    await customerWrites(s.t, s.inbox, "are you there?", contact);
    expect(await snoozedUntil(s, id)).toBeNull();
    expect(await tabIds(s, "open")).toContain(id);
    expect(await eventTypes(s, id, "unsnoozed")).toEqual(["customer"]);
    expect(JSON.parse(notificationsOf(s.ana.id, from)[0]!.data).notify.body).toBe("are you there?");
    await s.clock.advance(2 * 24 * 60 * MINUTE);
    await runJobs();
    expect(await eventTypes(s, id, "unsnoozed")).toEqual(["customer"]);
  });

  test("it returns when the customer writes while this process still sends them the batched way (snoozed on another instance)", async () => {
    const contact = Bun.randomUUIDv7();
    const id = await anasConversation(s, contact);
    await customerWrites(s.t, s.inbox, "first", contact);
    await snoozeFor(s, id, { preset: "week" });
    // Another instance snoozed it: this one still remembers the conversation as with an agent.
    messagePaths(s.t.database.db).seen({ inboxId: s.inbox.id, contactId: contact, status: "assigned" });
    expect(messagePaths(s.t.database.db).batchFor(s.inbox.id, contact)).toBe(true);
    const { message } = await conversations.customerSends(conversationDeps(s.t.ctx), { inbox: s.inbox, contactId: contact, clientId: crypto.randomUUID(), body: "hello again" });
    expect(message.body).toBe("hello again");
    expect(await snoozedUntil(s, id)).toBeNull();
    expect(await tabIds(s, "open")).toContain(id);
    expect(await eventTypes(s, id, "unsnoozed")).toEqual(["customer"]);
  });

  test("closing clears a snooze, and a closed conversation cannot be snoozed; a time past or missing is refused", async () => {
    const id = await anasConversation(s, Bun.randomUUIDv7());
    await snoozeFor(s, id, { preset: "hour" });
    await conversations.close(conversationDeps(s.t.ctx), { id: s.ana.id, name: "Ana" }, id);
    expect(await snoozedUntil(s, id)).toBeNull();
    expect(await tabIds(s, "snoozed")).not.toContain(id);
    expect((await snoozeFor(s, id, { preset: "hour" })).status).toBe(409);

    const open = await anasConversation(s, Bun.randomUUIDv7());
    const past = await snoozeFor(s, open, { preset: "custom", until: "2020-01-01T09:00" });
    expect(past.status).toBe(400);
    expect(await past.text()).toContain("Choose a time in the future.");
    expect((await snoozeFor(s, open, { preset: "custom" })).status).toBe(400);
    expect(await snoozedUntil(s, open)).toBeNull();
  });

  test("a custom time, and Unsnooze: back at once", async () => {
    const id = await anasConversation(s, Bun.randomUUIDv7());
    const now = new Date(s.clock.now());
    const tomorrow = new Date(now.getTime() + 24 * 60 * MINUTE).toISOString().slice(0, 10);
    expect((await snoozeFor(s, id, { preset: "custom", until: `${tomorrow}T15:30` })).status).toBe(200);
    expect((await snoozedUntil(s, id))!.toISOString()).toBe(`${tomorrow}T15:30:00.000Z`);
    const res = await s.t.post(`/inbox/c/${id}/unsnooze`, {}, { cookie: s.ana.cookie, "hx-request": "true" });
    expect(await res.text()).toContain(">Snooze</summary>");
    expect(await tabIds(s, "open")).toContain(id);
    expect(await eventTypes(s, id, "unsnoozed")).toEqual(["agent"]);
  });
});
