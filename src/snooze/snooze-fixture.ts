// A team whose job worker runs on a ManualClock, a customer's conversation assigned to Ana, and
// what a test of snoozing reads: the tabs, the row's snooze, the events, and what was published.
import { and, eq } from "drizzle-orm";
import { conversationDeps } from "../app-context.ts";
import * as conversations from "../conversations/service.ts";
import { conversationEvents, conversations as conversationRows } from "../db/schema/index.ts";
import type { Tab } from "../conversations/model.ts";
import { customerWrites, signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

export interface SnoozeSetup {
  t: TestApp;
  clock: ManualClock;
  ana: TeamMember;
  inbox: InboxRow;
  /** Every publish on the bus since the setup, in order. */
  published: Array<{ topic: string; data: string }>;
}

export async function snoozeSetup(): Promise<SnoozeSetup> {
  const clock = new ManualClock(Date.parse("2026-12-07T10:00:00Z"));
  const t = await createTestApp({ clocks: { jobs: clock } });
  const { ana, inbox } = await signedInTeam(t, { handoffMode: "immediate" });
  const published: SnoozeSetup["published"] = [];
  const publish = t.ctx.bus.publish.bind(t.ctx.bus);
  t.ctx.bus.publish = (topic, data, mark) => {
    published.push({ topic, data });
    publish(topic, data, mark);
  };
  return { t, clock, ana, inbox, published };
}

/** A customer's new conversation (`contactId`'s), claimed by Ana. */
export async function anasConversation(s: SnoozeSetup, contactId: string, body = "hello"): Promise<string> {
  const id = await customerWrites(s.t, s.inbox, body, contactId);
  await conversations.claim(conversationDeps(s.t.ctx), { id: s.ana.id, name: "Ana" }, id);
  return id;
}

export const snoozeFor = (s: SnoozeSetup, id: string, form: Record<string, string>) =>
  s.t.post(`/inbox/c/${id}/snooze`, form, { cookie: s.ana.cookie, "hx-request": "true" });

/** The ids of the first page of a tab, as Ana's list shows it. */
export async function tabIds(s: SnoozeSetup, tab: Tab): Promise<string[]> {
  return (await conversations.listTab(s.t.database.db, s.ana.id, tab, null)).rows.map((r) => r.id);
}

export async function snoozedUntil(s: SnoozeSetup, id: string): Promise<Date | null> {
  const [row] = await s.t.database.db.select({ until: conversationRows.snoozedUntil }).from(conversationRows).where(eq(conversationRows.id, id));
  return row!.until;
}

export async function eventTypes(s: SnoozeSetup, id: string, type: string): Promise<string[]> {
  const rows = await s.t.database.db
    .select({ actor: conversationEvents.actorType })
    .from(conversationEvents)
    .where(and(eq(conversationEvents.conversationId, id), eq(conversationEvents.type, type)));
  return rows.map((r) => r.actor);
}
